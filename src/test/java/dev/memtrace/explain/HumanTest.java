package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HumanTest {

  @Test
  void sizesAreUnsignedUpToTwoToTheSixtyFour() {
    assertThat(Human.bytes(139264)).isEqualTo("136 KiB");
    assertThat(Human.bytes(Long.MIN_VALUE)).isEqualTo("8192 PiB"); // 2^63
    assertThat(Human.bytes(-1)).isEqualTo("16384 PiB"); // 2^64 - 1, rounded
    assertThat(Human.bytes(1023)).isEqualTo("1023 B");
  }

  /** The sizes as String.format wrote them, before the decimals were computed in integers. */
  private static String bytesByFormat(long n) {
    double v = n;
    int u = 0;
    String[] units = {"B", "KiB", "MiB", "GiB"};
    while (v >= 1024 && u < 3) {
      v /= 1024;
      u++;
    }
    return (v == Math.rint(v)
            ? String.format(Locale.ROOT, "%.0f", v)
            : String.format(Locale.ROOT, v < 10 ? "%.2f" : v < 100 ? "%.1f" : "%.0f", v))
        + " "
        + units[u];
  }

  private static String briefByFormat(long n) {
    return n < 1024 * 1024
        ? String.format(Locale.ROOT, "%.1f KiB", n / 1024.0)
        : String.format(Locale.ROOT, "%.1f MiB", n / (1024.0 * 1024));
  }

  @Test
  void decimalsAreRoundedHalfUpAsFormatRoundsThem() {
    // halves: 1.125 KiB, 1.25 KiB, 1.5 MiB + a little; the roundings up to the next unit
    long[] edges = {1152, 1280, 1536, 10188, 10189, 102348, 102349, 1048064, 1048575, 1572865};
    for (long n : edges) {
      assertThat(Human.bytes(n)).as("bytes %d", n).isEqualTo(bytesByFormat(n));
    }
    assertThat(Human.bytes(1152)).isEqualTo("1.13 KiB");
    assertThat(Human.brief(1280)).isEqualTo("1.3 KiB");
    assertThat(Human.brief(1400832)).isEqualTo("1.3 MiB");
    Random random = new Random(18);
    for (int k = 0; k < 200_000; k++) {
      long n = 1024 + random.nextInt((1 << 30) - 1024);
      if (k % 2 == 0) {
        n = 1024 + random.nextInt((1 << 20) - 1024);
      }
      assertThat(Human.bytes(n)).as("bytes %d", n).isEqualTo(bytesByFormat(n));
      if (n % 1024 != 0 && n % (1024 * 1024) != 0) {
        assertThat(Human.brief(n)).as("brief %d", n).isEqualTo(briefByFormat(n));
      }
    }
  }
}
