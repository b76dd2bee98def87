package io.healthmesh.normalizer.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.healthmesh.commons.client.PreferencesClient;
import io.healthmesh.commons.problem.ProblemException;
import io.healthmesh.contracts.policy.Policy;
import io.smallrye.mutiny.Uni;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.resteasy.reactive.RestResponse;
import org.junit.jupiter.api.Test;

/**
 * The policy copy the normalizer keeps: sent as If-None-Match on every read, used only when
 * preferences-service answers 304, replaced by whatever else it answers. preferences-service's
 * side (the tags, the 304) is PreferencesResourceTest; both together, with a read after every
 * change, system-tests' ResolutionIT.
 */
class PreferencesPolicySourceTest {

    /**
     * preferences-service as the client sees it: the current policy and tag, and every
     * If-None-Match it got. Behind a proxy: a class implementing the client's interface would be
     * taken for a JAX-RS resource by the module's @QuarkusTests.
     */
    private static final class PreferencesService {
        Policy current;
        String tag;
        final List<String> asked = new ArrayList<>();

        PreferencesClient client() {
            return (PreferencesClient) Proxy.newProxyInstance(PreferencesClient.class.getClassLoader(),
                    new Class<?>[] {PreferencesClient.class}, (proxy, method, args) -> {
                        if (!method.getName().equals("policyUnlessCurrent")) {
                            throw new UnsupportedOperationException(method.getName());
                        }
                        return policyUnlessCurrent((String) args[1]);
                    });
        }

        private Uni<RestResponse<Policy>> policyUnlessCurrent(String knownTag) {
            asked.add(knownTag);
            if (tag == null) {
                return Uni.createFrom().failure(new IllegalStateException("connection refused"));
            }
            RestResponse.ResponseBuilder<Policy> answer = tag.equals(knownTag)
                    ? RestResponse.ResponseBuilder.create(RestResponse.Status.NOT_MODIFIED)
                    : RestResponse.ResponseBuilder.ok(current);
            return Uni.createFrom().item(answer.header("ETag", tag).build());
        }
    }

    private final PreferencesService service = new PreferencesService();
    private final PreferencesPolicySource source = new PreferencesPolicySource(service.client());

    @Test
    void theCopyIsUsedOnlyWhilePreferencesServiceSaysItIsCurrent() {
        service.current = policy("u1", 1, "Europe/Berlin");
        service.tag = "\"1-a\"";

        assertThat(read("u1")).isEqualTo(service.current);
        Policy first = service.current;
        assertThat(read("u1")).isSameAs(first);

        service.current = policy("u1", 2, "Asia/Tokyo");
        service.tag = "\"2-a\"";
        assertThat(read("u1").homeZone()).isEqualTo("Asia/Tokyo");
        assertThat(read("u1").version()).isEqualTo(2);
        assertThat(service.asked).containsExactly(null, "\"1-a\"", "\"1-a\"", "\"2-a\"");

        // Another user's copy is never sent for this one.
        service.current = policy("u2", 7, "UTC");
        service.tag = "\"7-a\"";
        assertThat(read("u2").userId()).isEqualTo("u2");
        assertThat(service.asked.get(service.asked.size() - 1)).isNull();
    }

    @Test
    void theLeastRecentlyReadCopiesAreDroppedFirst() {
        service.current = policy("any", 1, "UTC");
        service.tag = "\"1-a\"";
        read("first");
        read("second");
        for (int user = 0; user < PreferencesPolicySource.KEPT_COPIES - 2; user++) {
            read("user-" + user);
        }
        read("first"); // kept, and now the most recently read
        read("one-more");
        service.asked.clear();

        read("first");
        read("second");
        assertThat(service.asked).containsExactly("\"1-a\"", null);
    }

    @Test
    void withoutAnAnswerThereIsNoPolicyEvenWithACopy() {
        service.current = policy("u1", 1, "UTC");
        service.tag = "\"1-a\"";
        assertThat(read("u1").version()).isEqualTo(1);

        service.tag = null;
        assertThatThrownBy(() -> read("u1")).isInstanceOf(ProblemException.class)
                .hasMessageContaining("cannot be read right now");
    }

    private Policy read(String user) {
        return source.policy(user).await().atMost(Duration.ofSeconds(5));
    }

    private static Policy policy(String user, long version, String zone) {
        return new Policy(user, version, zone, Map.of("activity", List.of("apple_health", "oura")), Map.of(),
                Map.of(), Set.of(), Map.of(), null);
    }
}
