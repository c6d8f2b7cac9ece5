package io.beacon;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.OriginLookup;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.Ordered;
import org.springframework.core.PriorityOrdered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.stereotype.Component;

/**
 * Stops start-up when the configuration names a {@code beacon.*} property that does not exist (a misspelt
 * {@code beacon.lease.durration} would otherwise be ignored and its default used). It looks at every
 * property source of the environment, once all are in place and before any bean is created: config files,
 * system properties, command-line arguments, test properties, and environment variables
 * ({@code BEACON_*}, matched as Spring's relaxed binding matches them). Each unknown key is named with
 * where it came from and the nearest known property. The known properties are the configuration
 * metadata's; without metadata (a build that skipped the configuration processor) the check is skipped.
 *
 * <p>An unknown environment variable is a WARN, not a failure: the environment of a process is not
 * Beacon's alone (Kubernetes injects {@code BEACON_PORT}, {@code BEACON_SERVICE_HOST} and friends for a
 * Service named {@code beacon}; scripts export their own {@code BEACON_*} variables). Kubernetes' service
 * link variables are not even warned about.
 */
@Component
class UnknownPropertyCheck implements BeanFactoryPostProcessor, EnvironmentAware, PriorityOrdered {

    private static final Logger log = LoggerFactory.getLogger(UnknownPropertyCheck.class);
    private static final String VARIABLE_PREFIX = KnownProperties.PREFIX.toUpperCase(Locale.ROOT) + "_";
    /** Variables Kubernetes sets for a Service named {@code beacon} (docker links use the same form). */
    private static final Pattern SERVICE_LINK = Pattern.compile(
            "BEACON(_[A-Z0-9_]+)?_(SERVICE_HOST|SERVICE_PORT(_[A-Z0-9_]+)?|PORT(_\\d+_(TCP|UDP|SCTP)(_PROTO|_PORT|_ADDR)?)?)");

    private Environment environment;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
        if (!(environment instanceof ConfigurableEnvironment configurable)) {
            return;
        }
        Optional<KnownProperties> known = KnownProperties.load(beanFactory.getBeanClassLoader() != null
                ? beanFactory.getBeanClassLoader() : getClass().getClassLoader());
        if (known.isEmpty()) {
            log.warn("No {} on the class path: beacon.* property names are not checked", KnownProperties.METADATA);
            return;
        }
        Findings findings = check(configurable, known.get());
        findings.variables().forEach(log::warn);
        if (!findings.properties().isEmpty()) {
            throw new UnknownPropertiesException(findings.properties());
        }
    }

    /**
     * What the check found, one sentence per unknown key.
     *
     * @param properties unknown {@code beacon.*} keys of files, arguments and system properties: start-up fails
     * @param variables {@code BEACON_*} environment variables that bind to nothing: warned about
     */
    record Findings(List<String> properties, List<String> variables) {
    }

    /** Every unknown {@code beacon.*} key in {@code environment}. */
    static Findings check(ConfigurableEnvironment environment, KnownProperties known) {
        List<String> problems = new ArrayList<>();
        List<String> variableProblems = new ArrayList<>();
        for (PropertySource<?> source : environment.getPropertySources()) {
            if (!(source instanceof EnumerablePropertySource<?> enumerable)
                    || ConfigurationPropertySources.isAttachedConfigurationPropertySource(source)) {
                continue;
            }
            boolean variables = source instanceof SystemEnvironmentPropertySource;
            for (String key : enumerable.getPropertyNames()) {
                if (variables) {
                    String upper = key.toUpperCase(Locale.ROOT);
                    if (upper.startsWith(VARIABLE_PREFIX) && !SERVICE_LINK.matcher(upper).matches()
                            && !known.isKnownVariable(key)) {
                        String nearest = known.nearestVariable(key);
                        variableProblems.add("Unknown property '" + key + "' (from environment variable). Did you mean '"
                                + KnownProperties.variableOf(nearest) + "' (" + nearest + ")?");
                    }
                } else if (KnownProperties.isBeaconKey(key) && !known.isKnown(key)) {
                    problems.add("Unknown property '" + key + "' (from " + origin(source, key) + "). Did you mean '"
                            + known.nearest(key) + "'?");
                }
            }
        }
        return new Findings(problems, variableProblems);
    }

    private static String origin(PropertySource<?> source, String key) {
        Origin origin = OriginLookup.getOrigin(source, key);
        return origin != null ? origin.toString() : "property source '" + source.getName() + "'";
    }
}
