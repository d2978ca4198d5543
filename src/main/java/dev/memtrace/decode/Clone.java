package dev.memtrace.decode;

import static dev.memtrace.decode.LinuxFlags.CLONE;
import static dev.memtrace.decode.LinuxFlags.CLONE_VFORK;
import static dev.memtrace.decode.LinuxFlags.CLONE_VM;

import dev.memtrace.trace.SyscallEvent;
import java.util.OptionalLong;

/**
 * {@code clone(child_stack=..., flags=..., ...)}, {@code clone3({flags=..., stack=..., ...},
 * size)}, {@code fork()} and {@code vfork()}, as the CLONE_* bits each means: a fork is SIGCHLD, a
 * vfork CLONE_VM|CLONE_VFORK|SIGCHLD. The child is the result.
 */
public final class Clone extends Call {

  static final long SIGCHLD = 17;

  /** What fork means, and what a clone whose flags cannot be read is taken for. */
  public static final long FORK_FLAGS = SIGCHLD;

  static final long VFORK_FLAGS = CLONE_VM | CLONE_VFORK | SIGCHLD;

  private OptionalLong flags;

  Clone(SyscallEvent e) {
    super(e);
  }

  /** The CLONE_* bits (and the exit signal), whatever the -X spelling; read once. */
  public OptionalLong flags() {
    if (flags == null) {
      flags =
          switch (name()) {
            case "fork" -> OptionalLong.of(FORK_FLAGS);
            case "vfork" -> OptionalLong.of(VFORK_FLAGS);
            case "clone3" -> {
              String f = field(0, "flags");
              yield f == null ? OptionalLong.empty() : CLONE.decodeText(f);
            }
            default -> {
              String named = named("flags");
              yield named != null ? CLONE.decodeText(named) : flags(0, CLONE);
            }
          };
    }
    return flags;
  }

  /** The child's tid: the result of a clone that succeeded ({@link #returned}). */
  public long child() {
    return returned();
  }

  /** The stack the child starts on (clone's child_stack or stack, clone3's stack), if printed. */
  public OptionalLong stack() {
    String s =
        name().equals("clone3")
            ? field(0, "stack")
            : named("child_stack") != null ? named("child_stack") : named("stack");
    return s == null || !s.startsWith("0x") ? OptionalLong.empty() : ArgText.number(s);
  }
}
