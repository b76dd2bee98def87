package io.healthmesh.gateway.client;

import org.eclipse.microprofile.config.Config;

/** Where an internal service answers: the same {@code quarkus.rest-client.<service>.url} the REST clients use. */
final class InternalUrls {

    private InternalUrls() {
    }

    static String of(Config config, InternalService service) {
        String url = config.getValue("quarkus.rest-client." + service.configKey() + ".url", String.class);
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
