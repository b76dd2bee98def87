package io.healthmesh.commons.info;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Tells a caller holding the service credential which service and version answers. */
@Path("/internal/service")
@Produces(MediaType.APPLICATION_JSON)
public class ServiceInfoResource {

    private final ServiceInfo info;

    public ServiceInfoResource(@ConfigProperty(name = "quarkus.application.name") String name,
            @ConfigProperty(name = "quarkus.application.version", defaultValue = "unknown") String version) {
        this.info = new ServiceInfo(name, version);
    }

    @GET
    public ServiceInfo get() {
        return info;
    }

    public record ServiceInfo(String service, String version) {
    }
}
