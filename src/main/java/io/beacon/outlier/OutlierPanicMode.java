package io.beacon.outlier;

import io.beacon.discovery.PanicMode;
import io.beacon.policy.PolicyStore;
import io.beacon.registry.Instance;
import io.beacon.registry.InstanceStatus;
import io.beacon.registry.ServiceSnapshot;

/**
 * Envoy-style panic threshold over outlier ejections: among a service's UP instances, when fewer than
 * {@code minHealthPercent} are not ejected, discovery returns the ejected ones too. It only overrides
 * ejection (which comes from client reports, and can be wrong wholesale, for example when the callers'
 * own network fails); DOWN, STALE and drained instances stay hidden.
 */
class OutlierPanicMode implements PanicMode {

    private final PolicyStore policies;
    private final OutlierProperties defaults;

    OutlierPanicMode(PolicyStore policies, OutlierProperties defaults) {
        this.policies = policies;
        this.defaults = defaults;
    }

    @Override
    public boolean test(ServiceSnapshot snapshot) {
        int up = 0;
        int healthy = 0;
        for (Instance i : snapshot.instances()) {
            if (i.status() == InstanceStatus.UP) {
                up++;
                if (!i.state().ejected()) {
                    healthy++;
                }
            }
        }
        if (up == 0 || healthy == up) {
            return false;
        }
        int minHealthPercent = OutlierSettings.resolve(defaults, policies.get(snapshot.name())).minHealthPercent();
        return (long) healthy * 100 < (long) minHealthPercent * up;
    }
}
