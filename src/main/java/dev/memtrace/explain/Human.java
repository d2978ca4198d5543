package dev.memtrace.explain;

import java.util.Locale;

/**
 * Sizes in binary units, the one place that writes them, always with a dot ({@link Locale#ROOT}),
 * whatever the user's locale: {@link #bytes} for sentences and the summary, {@link #brief} for the
 * regions of the timeline.
 */
public final class Human {
  private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};

  private Human() {}

  /**
   * {@code 4096 → "4 KiB"}, {@code 139264 → "136 KiB"}, {@code 1974096 → "1.88 MiB"}; a size as the
   * kernel holds it, unsigned, so a long below 0 is one of 2^63 bytes or more.
   */
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
    return (v == Math.rint(v)
            ? String.format(Locale.ROOT, "%.0f", v)
            : String.format(Locale.ROOT, v < 10 ? "%.2f" : v < 100 ? "%.1f" : "%.0f", v))
        + " "
        + UNITS[u];
  }

  /**
   * One decimal at most, for a region in the timeline: {@code 8192 → "8 KiB"}, {@code 139264 → "136
   * KiB"}, {@code 1400832 → "1.3 MiB"}.
   */
  public static String brief(long bytes) {
    if (bytes < 0) { // unsigned: 2^63 bytes or more
      return String.format(Locale.ROOT, "%.1f GiB", (bytes >>> 1) * 2.0 / (1L << 30));
    }
    if (bytes < 1024) {
      return bytes + " B";
    }
    if (bytes < 1024 * 1024) {
      return bytes % 1024 == 0
          ? bytes / 1024 + " KiB"
          : String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
    }
    long mib = 1024 * 1024;
    if (bytes < 1024 * mib) {
      return bytes % mib == 0
          ? bytes / mib + " MiB"
          : String.format(Locale.ROOT, "%.1f MiB", bytes / (double) mib);
    }
    return String.format(Locale.ROOT, "%.1f GiB", bytes / (1024.0 * mib));
  }
}
