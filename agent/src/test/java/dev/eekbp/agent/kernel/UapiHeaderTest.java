package dev.eekbp.agent.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Uapi must mirror native-headers/eekbp_uapi.h exactly. */
class UapiHeaderTest {
    private static final Pattern DEFINE = Pattern.compile("^#define\\s+EEKBP_(\\w+)\\s+(.+?)\\s*(/\\*.*)?$");

    static Map<String, String> defines() throws Exception {
        Path h = Path.of(System.getProperty("user.dir")).resolve("../native-headers/eekbp_uapi.h");
        Map<String, String> out = new HashMap<>();
        for (String line : Files.readAllLines(h)) {
            Matcher m = DEFINE.matcher(line);
            if (m.matches()) {
                out.put(m.group(1), m.group(2).strip());
            }
        }
        return out;
    }

    /** Evaluates the header's simple expressions: decimal/hex literals, + and * over known defines. */
    static long eval(String expr, Map<String, String> defs) {
        String e = expr.replace("(", "").replace(")", "").replaceAll("(?<=[0-9a-fA-F])U\\b", "").strip();
        long sum = 0;
        for (String term : e.split("\\+")) {
            long prod = 1;
            for (String f : term.split("\\*")) {
                String t = f.strip();
                if (t.startsWith("EEKBP_")) {
                    prod *= eval(defs.get(t.substring(6)), defs);
                } else if (t.startsWith("0x")) {
                    prod *= Long.parseLong(t.substring(2), 16);
                } else {
                    prod *= Long.parseLong(t);
                }
            }
            sum += prod;
        }
        return sum;
    }

    @Test
    void everyJavaConstantMatchesTheHeader() throws Exception {
        Map<String, String> defs = defines();
        assertThat(defs).containsKeys("ABI_VERSION", "SYSFS_DIR", "QUOTA_MAX", "STATS_MAGIC");
        int compared = 0;
        for (Field f : Uapi.class.getDeclaredFields()) {
            if (!Modifier.isStatic(f.getModifiers()) || !Modifier.isPublic(f.getModifiers())) {
                continue;
            }
            String name = f.getName();
            assertThat(defs).as("header defines EEKBP_%s", name).containsKey(name);
            String raw = defs.get(name);
            Object v = f.get(null);
            if (v instanceof String s) {
                assertThat(raw).as(name).isEqualTo("\"" + s + "\"");
            } else {
                long expected = eval(raw, defs);
                assertThat(((Number) v).longValue() & 0xffffffffL).as(name).isEqualTo(expected & 0xffffffffL);
            }
            compared++;
        }
        assertThat(compared).isGreaterThan(25);
    }

    @Test
    void everySysfsAttributeOfTheHeaderIsMirrored() throws Exception {
        for (String key : defines().keySet()) {
            if (key.startsWith("ATTR_") || key.startsWith("MODE_") || key.startsWith("QUOTA_")) {
                assertThat(Uapi.class.getField(key)).as(key).isNotNull();
            }
        }
    }
}
