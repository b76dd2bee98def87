package io.healthmesh.systemtests.harness;

/** The packaged services the harness can start, with the database role each one owns. */
public enum ServiceModule {
    GATEWAY("ingestion-gateway", "gateway"),
    PREFERENCES("preferences-service", "preferences"),
    NORMALIZER("normalizer-service", "normalizer"),
    FILE_IMPORT("file-import-service", "imports"),
    WITHINGS("withings-connector", "withings"),
    OURA("oura-connector", "oura");

    private final String module;
    private final String dbRole;

    ServiceModule(String module, String dbRole) {
        this.module = module;
        this.dbRole = dbRole;
    }

    public String module() {
        return module;
    }

    public String dbRole() {
        return dbRole;
    }
}
