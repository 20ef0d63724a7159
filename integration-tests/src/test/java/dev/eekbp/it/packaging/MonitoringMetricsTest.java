package dev.eekbp.it.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eekbp.it.harness.Kernel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The metric-name extraction that DebInstallTest checks against a real scrape. */
class MonitoringMetricsTest {
    @TempDir
    Path dir;

    @Test
    void findsNamesInRuleAndDashboardQueriesOnly() throws Exception {
        Path rules = Files.writeString(dir.resolve("r.yml"), """
                groups:
                  - name: x
                    rules:
                      - alert: A
                        # eekbp_in_a_comment
                        expr: rate(eekbp_a_total[5m]) > 0 and on(cpu) eekbp_b == 1
                        annotations:
                          summary: "eekbp_in_text"
                """);
        Path dash = Files.writeString(dir.resolve("d.json"), """
                {"panels": [{"description": "eekbp_livepatch is text",
                  "targets": [{"expr": "histogram_quantile(0.9, rate(eekbp_c_seconds_bucket{instance=~\\"$i\\"}[1m]))"}]}],
                 "templating": {"list": [{"definition": "label_values(eekbp_d_total, instance)"}]}}
                """);
        Set<String> used = MonitoringMetrics.used(rules, dash);
        assertThat(used).containsExactly("eekbp_a_total", "eekbp_b", "eekbp_c_seconds_bucket", "eekbp_d_total");
        String scrape = "# TYPE eekbp_b gauge\neekbp_b 1\neekbp_a_total{cpu=\"1\"} 3\neekbp_c_seconds_bucket{le=\"1\"} 0\n";
        assertThat(MonitoringMetrics.missing(used, scrape)).containsExactly("eekbp_d_total");
    }

    @Test
    void shippedMonitoringReferencesMetrics() throws Exception {
        Path m = Kernel.repoRoot().resolve("monitoring");
        Set<String> used = MonitoringMetrics.used(m.resolve("prometheus/eekbp-alerts.yml"),
                m.resolve("grafana/dashboards/eekbp.json"));
        assertThat(used).contains("eekbp_power_watts", "eekbp_livepatch_enabled", "eekbp_thread_polling",
                "eekbp_power_source_up", "eekbp_probe_lost_total");
    }

    /** Every name the dashboard and the rules query is one the agent exports (Metric). */
    @Test
    void everyShippedMetricIsExportedByTheAgent() throws Exception {
        Path m = Kernel.repoRoot().resolve("monitoring");
        Set<String> used = MonitoringMetrics.used(m.resolve("prometheus/eekbp-alerts.yml"),
                m.resolve("grafana/dashboards/eekbp.json"));
        Set<String> exported = new java.util.TreeSet<>();
        for (dev.eekbp.agent.telemetry.Metric x : dev.eekbp.agent.telemetry.Metric.values()) {
            exported.add(x.exposedName());
            for (String suffix : new String[] {"_bucket", "_sum", "_count"}) {
                exported.add(x.exposedName() + suffix);
            }
        }
        assertThat(used).as("metrics the agent does not export").isSubsetOf(exported);
    }
}
