package dev.eekbp.it.packaging;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The eekbp_* metric names the shipped monitoring uses: PromQL of the alert
 * rules ("expr:" lines) and of the Grafana dashboard ("expr", "query" and
 * "definition" strings), and which of them a scrape lacks.
 */
final class MonitoringMetrics {
    private static final Pattern NAME = Pattern.compile("\\beekbp_[a-z0-9_]+");
    private static final Pattern RULE_EXPR = Pattern.compile("(?m)^\\s*expr:\\s*(.+)$");
    private static final Pattern DASH_EXPR = Pattern.compile(
            "\"(?:expr|query|definition)\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    private MonitoringMetrics() {
    }

    static Set<String> used(Path rules, Path dashboard) throws IOException {
        Set<String> out = new TreeSet<>();
        collect(RULE_EXPR, Files.readString(rules), out);
        collect(DASH_EXPR, Files.readString(dashboard), out);
        return out;
    }

    private static void collect(Pattern field, String text, Set<String> out) {
        Matcher f = field.matcher(text);
        while (f.find()) {
            Matcher n = NAME.matcher(f.group(1));
            while (n.find()) {
                out.add(n.group());
            }
        }
    }

    /** Names of {@code used} with no sample line in the exposition text. */
    static Set<String> missing(Set<String> used, String scrape) {
        Set<String> out = new TreeSet<>();
        for (String m : used) {
            if (!Pattern.compile("(?m)^" + Pattern.quote(m) + "[{ ]").matcher(scrape).find()) {
                out.add(m);
            }
        }
        return out;
    }
}
