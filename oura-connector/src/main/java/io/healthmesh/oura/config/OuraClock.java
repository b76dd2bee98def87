package io.healthmesh.oura.config;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/** The clock the syncs read "today" and "now" from (tests pass a fixed one to the constructors). */
public class OuraClock {

    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }
}
