package dev.licensor.spring.boot;

import dev.licensor.Licensor;
import dev.licensor.event.LicensorListener;
import org.springframework.util.ClassUtils;

/** Keeps licensor-micrometer optional: its class is touched only when it is on the class path. */
final class MetricsSupport {
    private static final boolean PRESENT = ClassUtils.isPresent("dev.licensor.micrometer.LicensorMetrics",
            MetricsSupport.class.getClassLoader());

    private MetricsSupport() {
    }

    static boolean isMetrics(LicensorListener listener) {
        return PRESENT && listener instanceof dev.licensor.micrometer.LicensorMetrics;
    }

    static void attach(LicensorListener metrics, Licensor licensor) {
        ((dev.licensor.micrometer.LicensorMetrics) metrics).attach(licensor);
    }
}
