package io.healthmesh.connector.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.UriBuilder;
import java.net.URI;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The addresses of a connect: the public callback providers redirect to and where the browser
 * goes afterwards. Loopback defaults are in the kit's microprofile-config.properties; a deployment
 * sets {@code HEALTHMESH_PUBLIC_BASE_URL} and {@code HEALTHMESH_CONNECT_RETURN_URL}.
 */
@ApplicationScoped
public class ConnectAddresses {

    private final String publicBaseUrl;
    private final String connectReturnUrl;

    public ConnectAddresses(@ConfigProperty(name = "healthmesh.public-base-url") String publicBaseUrl,
            @ConfigProperty(name = "healthmesh.connect-return-url") String connectReturnUrl) {
        String base = publicBaseUrl.trim();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        this.publicBaseUrl = base;
        this.connectReturnUrl = connectReturnUrl.trim();
    }

    /** The redirect URI registered with the provider: public-base-url + /api/v1/connect/{source}/callback. */
    public String redirectUri(String source) {
        return publicBaseUrl + "/api/v1/connect/" + source + "/callback";
    }

    /** Where the browser goes after a connect: connect-return-url?source=..&outcome=.. */
    public URI returnUrl(String source, String outcome) {
        return UriBuilder.fromUri(connectReturnUrl)
                .queryParam("source", source)
                .queryParam("outcome", outcome)
                .build();
    }
}
