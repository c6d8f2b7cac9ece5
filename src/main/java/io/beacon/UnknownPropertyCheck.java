package io.beacon;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
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
 */
@Component
class UnknownPropertyCheck implements BeanFactoryPostProcessor, EnvironmentAware, PriorityOrdered {

    private static final Logger log = LoggerFactory.getLogger(UnknownPropertyCheck.class);
    private static final String VARIABLE_PREFIX = KnownProperties.PREFIX.toUpperCase(Locale.ROOT) + "_";

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
        List<String> problems = check(configurable, known.get());
        if (!problems.isEmpty()) {
            throw new UnknownPropertiesException(problems);
        }
    }

    /** One sentence per unknown {@code beacon.*} key in {@code environment}; empty when all are known. */
    static List<String> check(ConfigurableEnvironment environment, KnownProperties known) {
        List<String> problems = new ArrayList<>();
        for (PropertySource<?> source : environment.getPropertySources()) {
            if (!(source instanceof EnumerablePropertySource<?> enumerable)
                    || ConfigurationPropertySources.isAttachedConfigurationPropertySource(source)) {
                continue;
            }
            boolean variables = source instanceof SystemEnvironmentPropertySource;
            for (String key : enumerable.getPropertyNames()) {
                if (variables) {
                    if (key.toUpperCase(Locale.ROOT).startsWith(VARIABLE_PREFIX) && !known.isKnownVariable(key)) {
                        String nearest = known.nearestVariable(key);
                        problems.add("Unknown property '" + key + "' (from environment variable). Did you mean '"
                                + KnownProperties.variableOf(nearest) + "' (" + nearest + ")?");
                    }
                } else if (KnownProperties.isBeaconKey(key) && !known.isKnown(key)) {
                    problems.add("Unknown property '" + key + "' (from " + origin(source, key) + "). Did you mean '"
                            + known.nearest(key) + "'?");
                }
            }
        }
        return problems;
    }

    private static String origin(PropertySource<?> source, String key) {
        Origin origin = OriginLookup.getOrigin(source, key);
        return origin != null ? origin.toString() : "property source '" + source.getName() + "'";
    }
}
