package io.healthmesh.connector.connection;

import io.healthmesh.commons.problem.ProblemException;
import io.healthmesh.connector.provider.ConnectionHooks;
import io.healthmesh.connector.provider.OAuthProvider;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import java.util.Optional;

/** The provider beans of this service, by source: its OAuth2 adapters and optional connection hooks. */
@ApplicationScoped
public class Providers {

    private final Instance<OAuthProvider> providers;
    private final Instance<ConnectionHooks> hooks;

    public Providers(@Any Instance<OAuthProvider> providers, @Any Instance<ConnectionHooks> hooks) {
        this.providers = providers;
        this.hooks = hooks;
    }

    public Optional<OAuthProvider> provider(String source) {
        return providers.stream().filter(p -> p.source().equals(source)).findFirst();
    }

    /** The provider of a source this service serves, or a 404 problem {@code unknown-source}. */
    public OAuthProvider require(String source) {
        return provider(source).orElseThrow(() -> ProblemException.notFound("unknown-source",
                "This service does not connect the source '" + printable(source) + "'"));
    }

    public Optional<ConnectionHooks> hooks(String source) {
        return hooks.stream().filter(h -> h.source().equals(source)).findFirst();
    }

    /** A path segment fit to echo back: short, and only characters a source id can have. */
    static String printable(String value) {
        if (value == null) {
            return "";
        }
        String cut = value.length() > 40 ? value.substring(0, 40) : value;
        return cut.replaceAll("[^A-Za-z0-9_.-]", "?");
    }
}
