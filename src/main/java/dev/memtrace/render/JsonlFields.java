package dev.memtrace.render;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import dev.memtrace.model.RegionChange;
import dev.memtrace.timeline.Explanation;
import dev.memtrace.timeline.RegionClass;
import dev.memtrace.trace.ExitEvent;
import dev.memtrace.trace.NoticeEvent;
import java.util.Locale;

/**
 * The field names and fixed values of {@link JsonlRenderer}'s objects, encoded once: the generator
 * copies their quoted UTF-8 bytes instead of escaping and encoding the same short text on every
 * event.
 */
final class JsonlFields {

  static final SerializedString V = name("v");
  static final SerializedString LINE = name("line");
  static final SerializedString PID = name("pid");
  static final SerializedString KIND = name("kind");
  static final SerializedString SYSCALL = name("syscall");
  static final SerializedString SIGNAL = name("signal");
  static final SerializedString EXIT = name("exit");
  static final SerializedString NOTICE = name("notice");
  static final SerializedString UNPARSED = name("unparsed");
  static final SerializedString SIGINFO = name("siginfo");
  static final SerializedString STATUS = name("status");
  static final SerializedString CORE_DUMPED = name("core_dumped");
  static final SerializedString EXECVE_PID = name("execve_pid");
  static final SerializedString TEXT = name("text");
  static final SerializedString ERROR = name("error");
  static final SerializedString FILE = name("file");
  static final SerializedString TIME = name("time");
  static final SerializedString RELATIVE = name("relative");
  static final SerializedString COMM = name("comm");
  static final SerializedString ARGS = name("args");
  static final SerializedString RET = name("ret");
  static final SerializedString ERRNO = name("errno");
  static final SerializedString ERRMSG = name("errmsg");
  static final SerializedString AUX = name("aux");
  static final SerializedString NOTES = name("notes");
  static final SerializedString DURATION = name("duration");
  static final SerializedString UNFINISHED = name("unfinished");
  static final SerializedString DETACHED = name("detached");
  static final SerializedString DUMP = name("dump");
  static final SerializedString STACK = name("stack");
  static final SerializedString OBJECT = name("object");
  static final SerializedString SYMBOL = name("symbol");
  static final SerializedString SYMBOL_OFFSET = name("symbol_offset");
  static final SerializedString CHANGES = name("changes");
  static final SerializedString OP = name("op");
  static final SerializedString CLASS = name("class");
  static final SerializedString BEFORE = name("before");
  static final SerializedString AFTER = name("after");
  static final SerializedString CHECKS = name("checks");
  static final SerializedString BUFFER = name("buffer");
  static final SerializedString ADDRESS = name("address");
  static final SerializedString REGION = name("region");
  static final SerializedString WHY = name("why");
  static final SerializedString REASONS = name("reasons");
  static final SerializedString BASIS = name("basis");
  static final SerializedString RULE = name("rule");
  static final SerializedString EVIDENCE = name("evidence");
  static final SerializedString LINES = name("lines");
  static final SerializedString START = name("start");
  static final SerializedString END = name("end");
  static final SerializedString SIZE = name("size");
  static final SerializedString PERMS = name("perms");
  static final SerializedString OFFSET = name("offset");
  static final SerializedString PATH = name("path");

  private static final SerializedString[] OPS = values(RegionChange.Op.values().length);
  private static final SerializedString[] CLASSES = values(RegionClass.values().length);
  private static final SerializedString[] BASES = values(Explanation.Basis.values().length);
  private static final SerializedString[] EXITS = values(ExitEvent.Kind.values().length);
  private static final SerializedString[] NOTICES = values(NoticeEvent.Kind.values().length);

  static {
    for (RegionChange.Op o : RegionChange.Op.values()) {
      OPS[o.ordinal()] = name(o.symbol);
    }
    for (RegionClass c : RegionClass.values()) {
      CLASSES[c.ordinal()] = name(c.label);
    }
    for (Explanation.Basis b : Explanation.Basis.values()) {
      BASES[b.ordinal()] = name(b.label);
    }
    for (ExitEvent.Kind k : ExitEvent.Kind.values()) {
      EXITS[k.ordinal()] = name(lowerCase(k));
    }
    for (NoticeEvent.Kind k : NoticeEvent.Kind.values()) {
      NOTICES[k.ordinal()] = name(lowerCase(k));
    }
  }

  private JsonlFields() {}

  /** A change's "op": {@code +}, {@code ~} or {@code -}. */
  static SerializableString op(RegionChange.Op op) {
    return OPS[op.ordinal()];
  }

  /** A region class's label. */
  static SerializableString label(RegionClass c) {
    return CLASSES[c.ordinal()];
  }

  /** The word a reason's "basis" is written as. */
  static SerializableString basis(Explanation.Basis b) {
    return BASES[b.ordinal()];
  }

  /** An exit's "exit": its kind in lower case. */
  static SerializableString exit(ExitEvent.Kind k) {
    return EXITS[k.ordinal()];
  }

  /** A notice's "notice": its kind in lower case. */
  static SerializableString notice(NoticeEvent.Kind k) {
    return NOTICES[k.ordinal()];
  }

  private static String lowerCase(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }

  private static SerializedString name(String s) {
    return new SerializedString(s);
  }

  private static SerializedString[] values(int n) {
    return new SerializedString[n];
  }
}
