package io.healthmesh.oura.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.healthmesh.commons.problem.Problem;
import io.healthmesh.commons.problem.ProblemException;
import io.healthmesh.connector.provider.DocumentChange;
import io.healthmesh.oura.config.OuraConfig;
import io.healthmesh.oura.repository.WebhookDeliveryRepository;
import io.healthmesh.oura.service.WebhookSignatures;
import io.healthmesh.oura.service.WebhookSignatures.Verdict;
import io.healthmesh.oura.service.WebhookSubscriptions;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Map;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * Oura's webhook callback (the gateway forwards {@code /api/v1/webhooks/oura} here with the
 * provider's headers and body byte for byte).
 * <ul>
 *   <li>{@code GET ?verification_token=&challenge=}: Oura checks a new subscription; answered
 *       {@code {"challenge"}} only when the token is ours (constant-time), else 401.</li>
 *   <li>{@code POST}: the signature and timestamp are checked over the exact bytes received; a
 *       forged (401), stale (401) or replayed (409) delivery is refused and changes nothing. A good
 *       one is stored with its signature in one transaction and answered at once; a worker maps the
 *       Oura user to ours and fetches the document (or removes it). Never 410, which would make
 *       Oura drop the subscription.</li>
 * </ul>
 */
@Path("/internal/webhooks/oura")
public class OuraWebhookResource {

    private static final Logger LOG = Logger.getLogger(OuraWebhookResource.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, DocumentChange.Kind> EVENTS = Map.of("create", DocumentChange.Kind.CREATED,
            "update", DocumentChange.Kind.UPDATED, "delete", DocumentChange.Kind.DELETED);

    private final WebhookSignatures signatures;
    private final WebhookDeliveryRepository deliveries;
    private final byte[] verificationToken;

    public OuraWebhookResource(WebhookSignatures signatures, WebhookDeliveryRepository deliveries, OuraConfig config) {
        this.signatures = signatures;
        this.deliveries = deliveries;
        this.verificationToken = config.webhookVerificationToken().getBytes(StandardCharsets.UTF_8);
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, String> verify(@RestQuery("verification_token") String token, @RestQuery String challenge) {
        byte[] given = token == null ? new byte[0] : token.getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(given, verificationToken) || challenge == null) {
            throw unauthorized("wrong-verification-token", "The verification token is not this app's.");
        }
        return Map.of("challenge", challenge);
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Blocking
    public Response notified(byte[] body, @RestHeader("x-oura-timestamp") String timestamp,
            @RestHeader("x-oura-signature") String signature) {
        byte[] bytes = body == null ? new byte[0] : body;
        Verdict verdict = signatures.verify(bytes, timestamp, signature);
        switch (verdict) {
            case UNSIGNED -> throw unauthorized("unsigned-notification", "The notification carries no signature.");
            case FORGED -> throw unauthorized("forged-notification", "The signature does not match the body.");
            case STALE -> throw unauthorized("stale-notification",
                    "The signed timestamp is too far from now; a replay is refused.");
            case VALID -> { }
        }
        JsonNode notification;
        try {
            notification = JSON.readTree(bytes);
        } catch (IOException e) {
            notification = null;
        }
        String dataType = text(notification, "data_type");
        String objectId = text(notification, "object_id");
        String userId = text(notification, "user_id");
        DocumentChange.Kind kind = EVENTS.get(String.valueOf(text(notification, "event_type")));
        if (dataType == null || objectId == null || userId == null || kind == null
                || !WebhookSubscriptions.DATA_TYPES.contains(dataType)) {
            // Signed by Oura but nothing we fetch: acknowledged, or Oura would deliver it again.
            LOG.debugf("Oura notification ignored (data type %s, event %s)", dataType,
                    text(notification, "event_type"));
            return Response.ok().build();
        }
        String payload = new String(bytes, StandardCharsets.UTF_8);
        if (!deliveries.take(signature.strip().toUpperCase(Locale.ROOT), userId, dataType,
                new DocumentChange(objectId, kind), payload)) {
            throw ProblemException.conflict("replayed-notification", "This notification was delivered before.");
        }
        return Response.ok().build();
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || value.isNull() || value.isContainerNode() || value.asText().isBlank() ? null
                : value.asText();
    }

    private static ProblemException unauthorized(String slug, String detail) {
        return new ProblemException(Problem.of(slug, 401, "Unauthorized", detail));
    }
}
