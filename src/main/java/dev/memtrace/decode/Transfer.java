package dev.memtrace.decode;

import dev.memtrace.trace.Arg;
import dev.memtrace.trace.SyscallEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * A call that reads or writes through a buffer: {@code read(fd, buf, count)} and its kin with one
 * flat buffer (write, pread64, pwrite64, recvfrom, sendto, recv, send), or {@code readv(fd, iov,
 * iovcnt)} and its kin with an iovec array (writev, preadv, pwritev, preadv2, pwritev2, and
 * recvmsg/sendmsg, whose msghdr holds one).
 */
public final class Transfer extends Call {

  Transfer(SyscallEvent e) {
    super(e);
  }

  public OptionalLong fd() {
    return num(0);
  }

  /** Whether argument 1 is an iovec array (or a msghdr holding one) rather than one buffer. */
  public boolean vectored() {
    return switch (name()) {
      case "readv", "writev", "preadv", "pwritev", "preadv2", "pwritev2", "recvmsg", "sendmsg" ->
          true;
      default -> false;
    };
  }

  /**
   * The buffer's address when strace printed it rather than its data ({@code -e raw=read}, {@code
   * -X raw}, a failed call): for an iovec array, the first iov_base printed as an address.
   */
  public OptionalLong buffer() {
    if (vectored()) {
      Arg.Field f = first(arg(1), "iov_base", true);
      return f == null ? OptionalLong.empty() : f.value().asLong();
    }
    String t = text(1);
    return t == null || t.startsWith("\"") || t.startsWith("@") ? OptionalLong.empty() : num(1);
  }

  /** The length asked for: count, or the first iov_len of an iovec array. */
  public OptionalLong count() {
    if (vectored()) {
      Arg.Field f = first(arg(1), "iov_len", false);
      return f == null ? OptionalLong.empty() : f.value().asLong();
    }
    return num(2);
  }

  /**
   * The data strace printed for the buffer, piece by piece: the string of a flat buffer, or each
   * iov_base of an iovec array, as printed (quoted, with "..." where strace -s cut it); empty when
   * strace printed addresses instead.
   */
  public List<String> pieces() {
    if (!vectored()) {
      String t = text(1);
      return t != null && t.startsWith("\"") ? List.of(t) : List.of();
    }
    List<String> out = new ArrayList<>();
    all(arg(1), "iov_base", out);
    return out;
  }

  private Arg arg(int i) {
    return event().args() == null || i >= size() ? null : event().args().get(i);
  }

  /** The printed strings of every field of this name in the tree, depth first. */
  private static void all(Arg a, String name, List<String> out) {
    if (a instanceof Arg.Struct s) {
      for (Arg.Field f : s.fields()) {
        if (name.equals(f.name())) {
          if (f.value().text().startsWith("\"")) {
            out.add(f.value().text());
          }
        } else {
          all(f.value(), name, out);
        }
      }
    } else if (a instanceof Arg.Array arr) {
      for (Arg item : arr.items()) {
        all(item, name, out);
      }
    } else if (a instanceof Arg.Changed c) {
      all(c.before(), name, out);
    } else if (a instanceof Arg.Commented c) {
      all(c.value(), name, out);
    }
  }

  /** The first field of this name in the tree, depth first; with {@code hex}, one printed 0x... */
  private static Arg.Field first(Arg a, String name, boolean hex) {
    if (a instanceof Arg.Struct s) {
      for (Arg.Field f : s.fields()) {
        if (name.equals(f.name())) {
          if (!hex || f.value().text().startsWith("0x")) {
            return f;
          }
        } else {
          Arg.Field in = first(f.value(), name, hex);
          if (in != null) {
            return in;
          }
        }
      }
    } else if (a instanceof Arg.Array arr) {
      for (Arg item : arr.items()) {
        Arg.Field in = first(item, name, hex);
        if (in != null) {
          return in;
        }
      }
    } else if (a instanceof Arg.Changed c) {
      return first(c.before(), name, hex);
    } else if (a instanceof Arg.Commented c) {
      return first(c.value(), name, hex);
    }
    return null;
  }
}
