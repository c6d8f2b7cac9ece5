package io.beacon.registration;

import io.beacon.health.CheckTargetAuthority;
import io.beacon.health.CheckTargets;
import io.beacon.registry.CheckSpec;
import io.beacon.registry.Instance;
import io.beacon.registry.ServiceName;
import io.beacon.web.Durations;
import io.beacon.web.InputRules;
import io.beacon.web.InvalidRequestException;
import io.beacon.web.LimitRejections;
import io.beacon.web.Violation;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Checks an {@link InstanceDraft} against every registration rule at once ({@link InputRules} and
 * {@link Durations}, plus the lease and check bounds) and turns it into an {@link Instance}. All
 * violations are reported together, named as the draft's protocol names its fields, so a client fixes
 * its request in one go. Drafts over the metadata-bytes or tags limit are counted in
 * {@code beacon.limit.rejections}.
 */
@Component
public class RegistrationValidator {

    /** Check interval when none is given. */
    public static final Duration DEFAULT_CHECK_INTERVAL = Duration.ofSeconds(10);
    /** Check timeout when none is given. */
    public static final Duration DEFAULT_CHECK_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration MIN_CHECK_DURATION = Duration.ofMillis(100);
    private static final Duration MAX_CHECK_DURATION = Duration.ofHours(1);

    private final LeaseProperties lease;
    private final InstanceLimits limits;
    private final LimitRejections rejections;
    private final CheckTargetAuthority checkTargets;

    /** @param checkTargets who may aim a check at another host (own address only when there is no such bean) */
    @Autowired
    public RegistrationValidator(LeaseProperties lease, InstanceLimits limits, MeterRegistry meters,
            ObjectProvider<CheckTargetAuthority> checkTargets) {
        this(lease, limits, meters, checkTargets.getIfAvailable(() -> CheckTargetAuthority.OWN_ADDRESS_ONLY));
    }

    public RegistrationValidator(LeaseProperties lease, InstanceLimits limits, MeterRegistry meters,
            CheckTargetAuthority checkTargets) {
        this.lease = lease;
        this.limits = limits;
        this.rejections = new LimitRejections(meters);
        this.checkTargets = checkTargets;
    }

    /** A validator with its own-address check rule, counting rejections in a private meter registry (tests, tools). */
    public RegistrationValidator(LeaseProperties lease, InstanceLimits limits) {
        this(lease, limits, new SimpleMeterRegistry(), CheckTargetAuthority.OWN_ADDRESS_ONLY);
    }

    /** The instance described by a native registration body, registered at {@code now}. */
    public Instance toInstance(RegistrationRequest request, Instant now) {
        if (request == null) {
            throw new InvalidRequestException("body", "a JSON object with name, address and port is required");
        }
        return toInstance(InstanceDraft.of(request), now);
    }

    /** The instance {@code draft} describes, registered at {@code now}; throws listing every violation. */
    public Instance toInstance(InstanceDraft draft, Instant now) {
        List<Violation> errors = new ArrayList<>();
        ServiceName name = InputRules.name("name", draft.name(), errors);
        InputRules.address("address", draft.address(), errors);
        InputRules.port("port", draft.port(), errors);
        InputRules.id("id", draft.id(), errors);
        InputRules.metadata("metadata", draft.metadata(), limits.metadata(), errors);
        InputRules.tags("tags", draft.tags(), limits.maxTags(), errors);
        String zone = labelOrMetadata("zone", draft.zone(), draft.metadata(), errors);
        String version = labelOrMetadata("version", draft.version(), draft.metadata(), errors);
        InputRules.range("weight", draft.weight(), 1, 1000, errors);
        Duration leaseDuration = leaseDuration(draft.leaseSeconds(), errors);
        CheckSpec check = check(draft.check(), draft.address(), name, errors);
        if (!errors.isEmpty()) {
            countLimits(draft);
            throw new InvalidRequestException(errors.stream()
                    .map(v -> new Violation(draft.fieldNames().getOrDefault(v.field(), v.field()), v.message()))
                    .toList());
        }
        Instance.Builder instance = Instance.builder(name, draft.id(), draft.address(), draft.port())
                .metadata(draft.metadata()).tags(draft.tags()).zone(zone).version(version).check(check)
                .attributes(draft.attributes()).lease(leaseDuration, lease.evictAfterFor(leaseDuration))
                .override(draft.override());
        if (draft.weight() != null) {
            instance.weight(draft.weight());
        }
        if (draft.reported() != null) {
            instance.reported(draft.reported());
        }
        return instance.build(now);
    }

    /** Counts the limits {@code draft} breaks among those counted (metadata bytes, tags). */
    private void countLimits(InstanceDraft draft) {
        if (draft.metadata() != null && draft.metadata().size() <= limits.maxMetadataEntries()
                && InputRules.metadataBytes(draft.metadata()) > limits.maxMetadataBytes()) {
            rejections.count(LimitRejections.METADATA_BYTES);
        }
        if (draft.tags() != null && draft.tags().size() > limits.maxTags()) {
            rejections.count(LimitRejections.TAGS);
        }
    }

    /** The zone or version: the field when given, else the metadata entry of the same name. */
    private static String labelOrMetadata(String field, String value, Map<String, String> metadata,
            List<Violation> errors) {
        if (value != null) {
            return InputRules.label(field, value, errors);
        }
        String fromMetadata = metadata == null ? null : metadata.get(field);
        if (fromMetadata == null) {
            return null;
        }
        if (!InputRules.isLabel(fromMetadata)) {
            errors.add(new Violation("metadata." + field, "is the " + field + " when '" + field
                    + "' is not given, so it " + InputRules.LABEL_RULE));
            return null;
        }
        return fromMetadata;
    }

    private Duration leaseDuration(Integer leaseSeconds, List<Violation> errors) {
        if (leaseSeconds == null) {
            return lease.duration();
        }
        Duration requested = Duration.ofSeconds(leaseSeconds);
        if (requested.compareTo(lease.minDuration()) < 0 || requested.compareTo(lease.maxDuration()) > 0) {
            errors.add(new Violation("leaseSeconds", "must be between " + lease.minDuration().toSeconds()
                    + " and " + lease.maxDuration().toSeconds()));
        }
        return requested;
    }

    private CheckSpec check(RegistrationRequest.CheckRequest check, String address, ServiceName service,
            List<Violation> errors) {
        if (check == null) {
            return null;
        }
        if ((check.http() == null) == (check.tcp() == null)) {
            errors.add(new Violation("check", "needs exactly one of 'http' or 'tcp'"));
            return null;
        }
        int before = errors.size();
        if (check.http() != null && !isHttpUrl(check.http())) {
            errors.add(new Violation("check.http", "must be an absolute http:// or https:// URL"));
        }
        if (check.tcp() != null && !InputRules.isHostPort(check.tcp())) {
            errors.add(new Violation("check.tcp", "must be host:port"));
        }
        Duration interval = Durations.parse("check.interval", check.interval(), DEFAULT_CHECK_INTERVAL,
                MIN_CHECK_DURATION, MAX_CHECK_DURATION, errors);
        Duration timeout = Durations.parse("check.timeout", check.timeout(), DEFAULT_CHECK_TIMEOUT,
                MIN_CHECK_DURATION, MAX_CHECK_DURATION, errors);
        InputRules.range("check.failuresBeforeDown", check.failuresBeforeDown(), 1, 100, errors);
        InputRules.range("check.successesBeforeUp", check.successesBeforeUp(), 1, 100, errors);
        if (errors.size() > before) {
            return null;
        }
        // where the check may be aimed (CheckTargets): after the syntax rules, so a bad URL is reported as one
        boolean anyHost = service != null && checkTargets.mayTargetAnyHost(service);
        CheckSpec.Type type = check.http() != null ? CheckSpec.Type.HTTP : CheckSpec.Type.TCP;
        CheckTargets.violation(type, check.http() != null ? check.http() : check.tcp(),
                check.http() != null ? "check.http" : "check.tcp", address, anyHost).ifPresent(errors::add);
        if (errors.size() > before) {
            return null;
        }
        int failures = check.failuresBeforeDown() == null ? 3 : check.failuresBeforeDown();
        int successes = check.successesBeforeUp() == null ? 1 : check.successesBeforeUp();
        return check.http() != null
                ? new CheckSpec(CheckSpec.Type.HTTP, check.http(), interval, timeout, failures, successes)
                : new CheckSpec(CheckSpec.Type.TCP, check.tcp(), interval, timeout, failures, successes);
    }

    private static boolean isHttpUrl(String text) {
        try {
            URI uri = URI.create(text);
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
