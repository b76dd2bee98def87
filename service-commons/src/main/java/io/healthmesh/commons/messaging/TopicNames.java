package io.healthmesh.commons.messaging;

import io.healthmesh.contracts.source.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The names the topic map's topics have in this deployment: the contracts' names behind the
 * optional {@code healthmesh.topic-prefix} (tests set a fresh prefix per run).
 */
@ApplicationScoped
public class TopicNames {

    private final String prefix;

    public TopicNames(@ConfigProperty(name = "healthmesh.topic-prefix") Optional<String> prefix) {
        this.prefix = prefix.orElse("");
    }

    public String prefix() {
        return prefix;
    }

    /** The deployed name of a topic of the map. */
    public String deployed(String topic) {
        return Topics.prefixed(prefix, topic);
    }

    /** The topic map's name of a deployed topic. */
    public String contractName(String deployedTopic) {
        return Topics.unprefixed(prefix, deployedTopic);
    }
}
