package io.beacon.registration;

import io.beacon.web.InputRules;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Size limits of one registration, under {@code beacon.limits.*} (the body size limit itself is
 * {@code beacon.limits.max-body-bytes}, enforced by the web layer).
 *
 * @param maxMetadataEntries most metadata entries per instance
 * @param maxMetadataKeyLength longest metadata key
 * @param maxMetadataValueLength longest metadata value
 * @param maxTags most tags per instance
 * @param maxMetadataBytes most bytes of metadata per instance: every key and value in UTF-8, added up
 */
@ConfigurationProperties("beacon.limits")
@Validated
public record InstanceLimits(
        @DefaultValue("64") int maxMetadataEntries,
        @DefaultValue("128") int maxMetadataKeyLength,
        @DefaultValue("1024") int maxMetadataValueLength,
        @DefaultValue("32") int maxTags,
        @DefaultValue("4096") int maxMetadataBytes) {

    /** The metadata limits, as {@link InputRules} checks them. */
    public InputRules.MetadataLimits metadata() {
        return new InputRules.MetadataLimits(maxMetadataEntries, maxMetadataKeyLength, maxMetadataValueLength,
                maxMetadataBytes);
    }
}
