package io.healthmesh.imports.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * An upload route: its body is streamed to upload storage, up to
 * {@code healthmesh.imports.max-upload-bytes}; {@link UploadLimitFilter} refuses a request that
 * announces a larger body before a byte of it is read.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface StreamedUpload {
}
