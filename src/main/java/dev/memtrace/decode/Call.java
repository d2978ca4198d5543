package dev.memtrace.decode;

import dev.memtrace.trace.SyscallEvent;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/**
 * One system call as memtrace interprets it: a typed view over the parsed event ({@link Mmap},
 * {@link Clone}, {@link Open}...), made by {@link #of}. Like the JDK's ClassFile API, the view is
 * lazy: making it costs one object, and an argument is read from its text the first time a field is
 * asked for, then kept, so that every later stage reads the same value without reading the text
 * again. A field that strace printed as something other than a number is an empty {@link
 * OptionalLong}: the one way this layer says "no number". Numbers, names ({@code PROT_READ|
 * PROT_WRITE}), {@code -X raw} ({@code 0x3}) and {@code -X verbose} spellings decode to equal
 * values.
 */
public abstract sealed class Call
    permits Range,
        Brk,
        Shmget,
        Shmctl,
        Shmat,
        Shmdt,
        IoSetup,
        Open,
        Close,
        Dup,
        Fcntl,
        Pipe,
        Clone,
        Execve,
        Transfer,
        Rlimit,
        ArchPrctl,
        Prctl,
        Getrandom,
        KernelCopy,
        Other {

  private final SyscallEvent event;
  private List<String> texts;

  // arguments read so far: bit i set when argument i's number (or flags) is known
  private long numKnown;
  private FlagTable[] flagTables;
  private long[] nums;
  private long numAbsent;
  private long[] flagValues;
  private long flagAbsent;
  private Set<?>[] names;
  private FlagTable[] nameTables;
  private long nameBits; // bit i set when names[i] was read with bits true

  Call(SyscallEvent event) {
    this.event = event;
  }

  /** The typed view of a call: a class for each call memtrace interprets, {@link Other} else. */
  public static Call of(SyscallEvent e) {
    return switch (e.name()) {
      case "mmap", "mmap2" -> new Mmap(e);
      case "munmap" -> new Munmap(e);
      case "mprotect", "pkey_mprotect" -> new Mprotect(e);
      case "mremap" -> new Mremap(e);
      case "brk" -> new Brk(e);
      case "madvise" -> new Madvise(e);
      case "mlock", "mlock2", "munlock" -> new Mlock(e);
      case "mbind" -> new Mbind(e);
      case "msync" -> new Msync(e);
      case "shmget" -> new Shmget(e);
      case "shmctl" -> new Shmctl(e);
      case "shmat" -> new Shmat(e);
      case "shmdt" -> new Shmdt(e);
      case "io_setup", "io_destroy" -> new IoSetup(e);
      case "open", "creat", "openat" -> new Open(e);
      case "close" -> new Close(e);
      case "dup", "dup2", "dup3" -> new Dup(e);
      case "fcntl", "fcntl64" -> new Fcntl(e);
      case "pipe", "pipe2" -> new Pipe(e);
      case "clone", "clone3", "fork", "vfork" -> new Clone(e);
      case "execve", "execveat" -> new Execve(e);
      case "read",
          "write",
          "pread64",
          "pwrite64",
          "recvfrom",
          "sendto",
          "recv",
          "send",
          "readv",
          "writev",
          "preadv",
          "pwritev",
          "preadv2",
          "pwritev2",
          "recvmsg",
          "sendmsg" ->
          new Transfer(e);
      case "prlimit64", "getrlimit", "setrlimit" -> new Rlimit(e);
      case "arch_prctl" -> new ArchPrctl(e);
      case "prctl" -> new Prctl(e);
      case "getrandom" -> new Getrandom(e);
      case "copy_file_range", "splice", "sendfile", "sendfile64" -> new KernelCopy(e);
      default -> new Other(e);
    };
  }

  /** The parsed event this view reads. */
  public final SyscallEvent event() {
    return event;
  }

  public final String name() {
    return event.name();
  }

  /** How many arguments strace printed. */
  public final int size() {
    return texts().size();
  }

  private List<String> texts() {
    if (texts == null) {
      texts = event.args() == null ? List.of() : event.args().texts();
    }
    return texts;
  }

  /** Argument i as printed (for a value that changed, {@code a => b}, the whole text); or null. */
  public final String text(int i) {
    List<String> t = texts();
    return i < t.size() ? t.get(i) : null;
  }

  /** Argument i as a number ({@link ArgText#number}), read once. */
  public final OptionalLong num(int i) {
    if (i >= 64) {
      return ArgText.number(text(i));
    }
    long bit = 1L << i;
    if ((numKnown & bit) == 0) {
      OptionalLong v = ArgText.number(text(i));
      if (nums == null) {
        nums = new long[Math.max(size(), i + 1)];
      } else if (i >= nums.length) {
        nums = Arrays.copyOf(nums, i + 1);
      }
      if (v.isPresent()) {
        nums[i] = v.getAsLong();
      } else {
        numAbsent |= bit;
      }
      numKnown |= bit;
    }
    return (numAbsent & bit) != 0 ? OptionalLong.empty() : OptionalLong.of(nums[i]);
  }

  /**
   * Argument i as a flag set of {@code table}, whatever the {@code -X} spelling; empty when a part
   * is neither a number nor a name of the table.
   */
  public final OptionalLong flags(int i, FlagTable table) {
    if (i >= 64) {
      return text(i) == null ? OptionalLong.empty() : table.decodeText(ArgText.entry(text(i)));
    }
    long bit = 1L << i;
    if (flagTables == null) {
      flagTables = new FlagTable[Math.max(size(), i + 1)];
      flagValues = new long[flagTables.length];
    } else if (i >= flagTables.length) {
      flagTables = Arrays.copyOf(flagTables, i + 1);
      flagValues = Arrays.copyOf(flagValues, i + 1);
    }
    if (flagTables[i] != table) {
      String t = text(i);
      OptionalLong v = t == null ? OptionalLong.empty() : table.decodeText(ArgText.entry(t));
      if (v.isPresent()) {
        flagValues[i] = v.getAsLong();
        flagAbsent &= ~bit;
      } else {
        flagAbsent |= bit;
      }
      flagTables[i] = table;
    }
    return (flagAbsent & bit) != 0 ? OptionalLong.empty() : OptionalLong.of(flagValues[i]);
  }

  /**
   * The constant names set in argument i ({@link FlagTable#namesIn}), read once per table and
   * {@code bits}: what a sentence says of the flags.
   */
  @SuppressWarnings("unchecked")
  public final Set<String> names(int i, FlagTable table, boolean bits) {
    if (i >= 16) {
      return table.namesIn(text(i), bits);
    }
    if (names == null) {
      names = new Set<?>[Math.max(size(), i + 1)];
      nameTables = new FlagTable[names.length];
    } else if (i >= names.length) {
      names = Arrays.copyOf(names, i + 1);
      nameTables = Arrays.copyOf(nameTables, i + 1);
    }
    long bit = 1L << i;
    if (nameTables[i] != table || names[i] == null || ((nameBits & bit) != 0) != bits) {
      names[i] = table.namesIn(text(i), bits);
      nameTables[i] = table;
      nameBits = bits ? nameBits | bit : nameBits & ~bit;
    }
    return (Set<String>) names[i];
  }

  /** The path strace printed for fd argument i under -y ({@code 3</etc/x>}), or null. */
  public final String fdPath(int i) {
    return ArgText.decoration(text(i));
  }

  /** A quoted string argument, its escapes decoded to bytes (a char each); or null. */
  public final String string(int i) {
    String t = text(i);
    return t == null ? null : ArgText.unquote(ArgText.entry(t));
  }

  /** A {@code name=value} argument's value text (clone prints its arguments so), or null. */
  public final String named(String name) {
    int n = name.length();
    for (String t : texts()) {
      if (t.length() > n && t.charAt(n) == '=' && t.startsWith(name)) {
        return t.substring(n + 1);
      }
    }
    return null;
  }

  /** A top-level field of struct argument i, as text; or null. */
  public final String field(int i, String name) {
    String t = text(i);
    return t == null ? null : ArgText.field(ArgText.entry(t), name);
  }

  /** The items of array argument i. */
  public final List<String> items(int i) {
    String t = text(i);
    return ArgText.items(t == null ? null : ArgText.entry(t));
  }

  /** Whether the call returned, and not an error. */
  public final boolean ok() {
    return event.succeeded();
  }

  /** The return value; empty when the call never returned or printed no number. */
  public final OptionalLong ret() {
    if (event.result() == null) {
      return OptionalLong.empty();
    }
    OptionalLong v = event.result().value();
    return v.isPresent() ? v : ArgText.number(event.result().text());
  }

  /**
   * The value a call that succeeded returned (an fd, an address, a tid): what the model reads, only
   * of calls that succeeded, whose result is always a number. A call with none is a caller's bug.
   */
  public final long returned() {
    OptionalLong v = ret();
    if (v.isEmpty()) {
      throw new IllegalStateException(name() + " returned no number: " + event.result());
    }
    return v.getAsLong();
  }

  /** The path in a decorated return value ({@code 3</etc/passwd>}), or null. */
  public final String resultPath() {
    return event.result() == null ? null : ArgText.decoration(event.result().text());
  }
}
