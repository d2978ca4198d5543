package dev.memtrace.cli;

import dev.memtrace.render.filter.Bound;
import dev.memtrace.render.filter.EventFilter;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * The output filters shared by {@code run} and {@code analyze}; see {@link EventFilter}. {@code
 * --pid} is analyze's alone ({@link PidFilter}): for run, {@code -p/--pid} attaches.
 */
final class FilterOptions {

  /** {@code analyze --pid}. */
  static final class PidFilter {
    @Option(
        names = "--pid",
        paramLabel = "PID",
        split = ",",
        description =
            "only these processes (with their threads) or threads; repeatable, comma-separated")
    List<Integer> pids = List.of();
  }

  @Option(
      names = "--syscall",
      paramLabel = "NAME",
      split = ",",
      converter = SyscallConverter.class,
      description = "only these syscalls, e.g. --syscall mmap,munmap,brk")
  List<String> syscalls = List.of();

  @Option(
      names = "--class",
      paramLabel = "CLASS",
      split = ",",
      converter = ClassConverter.class,
      description =
          "only events that touch a region of this class (as the timeline names it, e.g. heap)")
  List<String> classes = List.of();

  @Option(
      names = "--memory-only",
      description =
          "only events that change the address space, use a buffer in it, or are memory syscalls")
  boolean memoryOnly;

  @Option(
      names = "--since",
      paramLabel = "WHEN",
      converter = BoundConverter.class,
      description =
          "from this point: a line (120), seconds after the first event (2.5s), a time of day (10:31:02.25) or a -ttt timestamp")
  Bound since;

  @Option(
      names = "--until",
      paramLabel = "WHEN",
      converter = BoundConverter.class,
      description = "up to and including this point, spelled as for --since")
  Bound until;

  EventFilter.Options toOptions(List<Integer> pids) {
    return new EventFilter.Options(
        Set.copyOf(pids),
        new LinkedHashSet<>(syscalls),
        new LinkedHashSet<>(classes),
        memoryOnly,
        since,
        until);
  }

  /** A class no region has is said, with the classes there are, where it showed no event. */
  static final class ClassConverter implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      try {
        return EventFilter.classWord(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** An empty syscall name ("--syscall ''", an unset variable) is said, where it showed nothing. */
  static final class SyscallConverter implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      if (value.isBlank()) {
        throw new TypeConversionException("a syscall name is empty ('--syscall mmap,munmap')");
      }
      return value.strip();
    }
  }

  /** A bad value is said in Bound's words, not as a Java exception. */
  static final class BoundConverter implements ITypeConverter<Bound> {
    @Override
    public Bound convert(String value) {
      try {
        return Bound.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
