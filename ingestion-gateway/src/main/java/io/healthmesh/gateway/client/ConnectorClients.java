package io.healthmesh.gateway.client;

import io.healthmesh.commons.security.ServiceCredentialHeaders;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.Config;

/** One {@link ConnectorClient} per OAuth connector, at its {@code quarkus.rest-client.<connector>.url}. */
@ApplicationScoped
public class ConnectorClients {

    private final Map<InternalService, ConnectorClient> clients = new EnumMap<>(InternalService.class);

    public ConnectorClients(Config config, ServiceCredentialHeaders credential) {
        for (InternalService connector : new InternalService[] {InternalService.WITHINGS, InternalService.OURA}) {
            clients.put(connector, QuarkusRestClientBuilder.newBuilder()
                    .baseUri(URI.create(InternalUrls.of(config, connector)))
                    .clientHeadersFactory(credential)
                    .connectTimeout(2, TimeUnit.SECONDS)
                    .readTimeout(150, TimeUnit.SECONDS)
                    .build(ConnectorClient.class));
        }
    }

    public ConnectorClient of(InternalService connector) {
        ConnectorClient client = clients.get(connector);
        if (client == null) {
            throw new IllegalArgumentException(connector + " is not a connector");
        }
        return client;
    }
}
