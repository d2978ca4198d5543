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
    if (u <= 2) { // KiB and MiB, most sizes: v is n / 2^10u exactly, rounded here as format would
      int shift = 10 * u;
      if (n % (1L << shift) == 0) {
        return (n >> shift) + " " + UNITS[u];
      }
      int decimals = v < 10 ? 2 : v < 100 ? 1 : 0;
      return decimal(n, shift, decimals) + " " + UNITS[u];
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
      return bytes % 1024 == 0 ? bytes / 1024 + " KiB" : decimal(bytes, 10, 1) + " KiB";
    }
    long mib = 1024 * 1024;
    if (bytes < 1024 * mib) {
      return bytes % mib == 0 ? bytes / mib + " MiB" : decimal(bytes, 20, 1) + " MiB";
    }
    return String.format(Locale.ROOT, "%.1f GiB", bytes / (1024.0 * mib));
  }

  /**
   * {@code n / 2^shift} with {@code decimals} decimals (0 to 2), rounded half up as {@code
   * String.format("%.2f")} rounds the same value (it is exact in a double: n is below 2^30 here,
   * and no value this close to a half is rounded otherwise), without a Formatter per size: the
   * timeline prints one for every region.
   */
  static String decimal(long n, int shift, int decimals) {
    long scale = decimals == 0 ? 1 : decimals == 1 ? 10 : 100;
    long r = (n * scale + (1L << (shift - 1))) >> shift;
    if (decimals == 0) {
      return Long.toString(r);
    }
    long frac = r % scale;
    StringBuilder b = new StringBuilder(8).append(r / scale).append('.');
    if (decimals == 2 && frac < 10) {
      b.append('0');
    }
    return b.append(frac).toString();
  }
}
