package io.healthmesh.preferences.api;

import java.util.List;

/** Device or app name patterns of one source, first preferred (matched case-insensitively as substrings). */
public record DeviceList(List<String> devices) {
}
