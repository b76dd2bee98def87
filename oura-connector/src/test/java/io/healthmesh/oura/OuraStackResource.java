package io.healthmesh.oura;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.healthmesh.testsupport.RealStackResource;
import java.util.HashMap;
import java.util.Map;

/**
 * The real stack plus WireMock playing Oura for a {@code @QuarkusTest}: the app's {@code oura.*}
 * URLs point at it, and the worker polls quickly.
 */
public class OuraStackResource extends RealStackResource {

    public static WireMockServer oura;

    @Override
    public Map<String, String> start() {
        oura = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        oura.start();
        String base = "http://127.0.0.1:" + oura.port();
        Map<String, String> config = new HashMap<>(super.start());
        config.put("oura.api-url", base);
        config.put("oura.auth-url", base + "/oauth/authorize");
        config.put("oura.token-url", base + "/oauth/token");
        config.put("oura.revoke-url", base + "/oauth/revoke");
        config.put("healthmesh.connector.sync.poll-interval", "200ms");
        return config;
    }

    @Override
    public void stop() {
        if (oura != null) {
            oura.stop();
        }
    }
}
