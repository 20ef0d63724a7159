package dev.eekbp.it.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void aNumberThatRoundsToAnIntegerHasNoTrailingDot() {
        // 899.99996 printed as "900." made results.json unreadable
        assertThat(Json.encode(List.of(899.99996, -0.00001, 1.5, 2.0, 0.12345)).strip())
                .isEqualTo("[900, 0, 1.5, 2, 0.1235]");
    }

    @Test
    void everyNumberIsValidJson() {
        String out = Json.encode(Map.of("a", 899.99996, "b", 1e-9, "c", 123456.00004));
        assertThat(out).doesNotContainPattern("\\d\\.[,\\s\\]}]");
        assertThat(out).doesNotContain("-0");
    }
}
