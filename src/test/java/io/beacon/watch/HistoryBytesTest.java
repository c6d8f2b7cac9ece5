package io.beacon.watch;

import static org.assertj.core.api.Assertions.assertThat;

import io.beacon.registry.ServiceName;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Change histories are bounded in bytes as well as in count: re-registering one large instance thousands of
 * times keeps at most the byte budget (plus one frame) per service and for the all-services stream.
 */
class HistoryBytesTest {

    private static final int FRAME = 60_000;
    private static final long BUDGET = 1_000_000;

    private static byte[] frame(long index) {
        byte[] frame = new byte[FRAME];
        Arrays.fill(frame, (byte) ('a' + index % 26));
        return frame;
    }

    @Test
    void aServiceHistoryStaysWithinTheBytesBudget() {
        HistoryBudget budget = new HistoryBudget(BUDGET);
        ServiceWatch watch = new ServiceWatch(ServiceName.of("orders"), 0, 256, budget);

        for (long i = 1; i <= 4_300; i++) {
            watch.change(i, frame(i));
            assertThat(budget.used()).isLessThanOrEqualTo(BUDGET + HistoryBudget.cost(frame(i)));
        }
        // about BUDGET / FRAME entries kept, far fewer than the count bound of 256
        assertThat(budget.used()).isGreaterThan(BUDGET - 2 * HistoryBudget.cost(frame(0)));
    }

    @Test
    void theBudgetIsSharedByEveryServiceAndDroppedBytesAreGivenBack() {
        HistoryBudget budget = new HistoryBudget(BUDGET);
        ServiceWatch a = new ServiceWatch(ServiceName.of("a"), 0, 256, budget);
        ServiceWatch b = new ServiceWatch(ServiceName.of("b"), 0, 256, budget);
        for (long i = 1; i <= 100; i++) {
            a.change(i, frame(i));
            b.change(i, frame(i));
        }
        assertThat(budget.used()).isLessThanOrEqualTo(BUDGET + 2 * HistoryBudget.cost(frame(0)));
    }

    @Test
    void theCountBoundStillAppliesToSmallFrames() {
        HistoryBudget budget = new HistoryBudget(BUDGET);
        ServiceWatch watch = new ServiceWatch(ServiceName.of("orders"), 0, 4, budget);
        for (long i = 1; i <= 10; i++) {
            watch.change(i, new byte[10]);
        }
        assertThat(budget.used()).isEqualTo(4 * HistoryBudget.cost(new byte[10]));
    }

    @Test
    void theAllServicesHistoryStaysWithinItsBytesBudget() {
        HistoryBudget budget = new HistoryBudget(BUDGET);
        GlobalWatch global = new GlobalWatch(4096, budget);
        for (long i = 1; i <= 4_300; i++) {
            long index = i;
            global.change(ServiceName.of("orders"), index, position -> frame(index));
            assertThat(budget.used()).isLessThanOrEqualTo(BUDGET + HistoryBudget.cost(frame(i)));
        }
        assertThat(budget.used()).isGreaterThan(BUDGET - 2 * HistoryBudget.cost(frame(0)));
    }
}
