package dev.memtrace.trace;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Eight bytes at a time: the classic tests that flag, in a little-endian word, each byte equal to a
 * value or below one, by setting its high bit. A flag can also appear above a true one (the borrow
 * runs upward), never below it, so the lowest flagged byte ({@link #first}) is always a true one.
 * Used where the hot paths search bytes: line ends, JSON escapes, non-ASCII bytes.
 */
public final class ByteWords {

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;

  /** The high bit of every byte. */
  public static final long HIGHS = 0x8080808080808080L;

  private ByteWords() {}

  /** The eight bytes of {@code b} from {@code i}, the first in the lowest bits. */
  public static long at(byte[] b, int i) {
    return (long) LONGS.get(b, i);
  }

  /** {@code c} in every byte of a word, to compare against. */
  public static long repeat(int c) {
    return ONES * (c & 0xff);
  }

  /** The bytes of {@code word} equal to the repeated byte, flagged. */
  public static long equal(long word, long repeated) {
    long x = word ^ repeated;
    return (x - ONES) & ~x & HIGHS;
  }

  /** The bytes of {@code word} below the repeated byte, flagged; every byte must be below 0x80. */
  public static long below(long word, long repeated) {
    return (word - repeated) & ~word & HIGHS;
  }

  /** Index, within its word, of the lowest flagged byte of a non-zero {@code flags}. */
  public static int first(long flags) {
    return Long.numberOfTrailingZeros(flags) >>> 3;
  }
}
