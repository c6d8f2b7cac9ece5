package io.beacon;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Explains an {@link UnknownPropertiesException} in Spring Boot's "APPLICATION FAILED TO START" report. */
class UnknownPropertiesFailureAnalyzer extends AbstractFailureAnalyzer<UnknownPropertiesException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, UnknownPropertiesException cause) {
        return new FailureAnalysis(cause.getMessage(),
                "Correct or remove each property named above. Every beacon.* property Beacon has is listed in "
                        + "the configuration reference (and in " + KnownProperties.METADATA + ").", cause);
    }
}
