package io.healthmesh.withings.api;

import io.healthmesh.commons.problem.ProblemException;
import io.healthmesh.connector.sync.SyncScheduler;
import io.healthmesh.contracts.source.SourceId;
import io.healthmesh.withings.config.WithingsConfig;
import io.healthmesh.withings.service.WithingsNotification;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import org.jboss.resteasy.reactive.RestPath;

/**
 * Withings' notification callback (the gateway forwards {@code /api/v1/webhooks/withings/{secret}}
 * here byte for byte). Withings signs nothing, so the secret in the path is the only proof; a wrong
 * one is answered like an unknown route and changes nothing. A good notification is stored
 * durably and answered at once; the targeted sync runs later on whichever replica claims it.
 */
@Path("/internal/webhooks/withings/{secret}")
public class WithingsWebhookResource {

    private final SyncScheduler scheduler;
    private final byte[] notifySecret;

    public WithingsWebhookResource(SyncScheduler scheduler, WithingsConfig config) {
        this.scheduler = scheduler;
        this.notifySecret = config.notifySecret().getBytes(StandardCharsets.UTF_8);
    }

    /** Withings checks the callback URL with a HEAD when subscribing. */
    @HEAD
    public Response verify(@RestPath String secret) {
        requireSecret(secret);
        return Response.ok().build();
    }

    @POST
    @Consumes({MediaType.APPLICATION_FORM_URLENCODED, MediaType.TEXT_PLAIN, MediaType.WILDCARD})
    @Blocking
    public Response notified(@RestPath String secret, String body) {
        requireSecret(secret);
        Optional<WithingsNotification> notification = WithingsNotification.parse(body == null ? "" : body);
        // An appli we do not sync, or a body we cannot read, is acknowledged and ignored: Withings
        // retries what it sees refused, and there is nothing to fetch for it.
        notification.ifPresent(n -> scheduler.notified(SourceId.WITHINGS, n.providerUserId(), n.dataType(), n.from(),
                n.to(), body));
        return Response.ok().build();
    }

    private void requireSecret(String secret) {
        byte[] given = secret == null ? new byte[0] : secret.getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(given, notifySecret)) {
            throw ProblemException.notFound("not-found", "No such route");
        }
    }
}
