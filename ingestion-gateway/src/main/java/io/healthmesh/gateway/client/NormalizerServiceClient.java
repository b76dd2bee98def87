package io.healthmesh.gateway.client;

import io.healthmesh.commons.security.ServiceCredentialHeaders;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/** normalizer-service's reads behind the public {@code /me/metrics}, {@code /me/sessions} and {@code /me/summary}; null queries are left out. */
@RegisterRestClient(configKey = "normalizer-service")
@RegisterClientHeaders(ServiceCredentialHeaders.class)
@Path("/internal/users/{userId}")
public interface NormalizerServiceClient {

    @GET
    @Path("/metrics/{metric}")
    Uni<Response> metric(@RestPath String userId, @RestPath String metric, @RestQuery String from,
            @RestQuery String to, @RestQuery String granularity, @RestQuery String view);

    @GET
    @Path("/sessions/{type}")
    Uni<Response> sessions(@RestPath String userId, @RestPath String type, @RestQuery String from,
            @RestQuery String to, @RestQuery String view);

    @GET
    @Path("/summary")
    Uni<Response> summary(@RestPath String userId, @RestQuery String date);
}
