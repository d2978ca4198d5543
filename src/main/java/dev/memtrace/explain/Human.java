package dev.memtrace.explain;

import java.util.Locale;

/** Sizes in human units: {@code 4096 → "4 KiB"}, {@code 139264 → "136 KiB"}, {@code 1.9 MiB}. */
public final class Human {
  private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};

  private Human() {}

  /** A size as the kernel holds it: unsigned, so a long below 0 is one of 2^63 bytes or more. */
  public static String bytes(long n) {
    double v = n >= 0 ? n : (n >>> 1) * 2.0;
    int u = 0;
    while (v >= 1024 && u < UNITS.length - 1) {
      v /= 1024;
      u++;
    }
    if (u == 0) {
      return Long.toUnsignedString(n) + " B";
    }
    return (v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v)
        : String.format(Locale.ROOT, v < 10 ? "%.2f" : v < 100 ? "%.1f" : "%.0f", v))
        + " " + UNITS[u];
  }
}
