package dev.memtrace.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.assertj.core.api.AbstractAssert;

/**
 * Domain assertions over one event: {@code
 * assertThat(parse(line)).isSyscall("mmap").returns(0x7f00)}.
 */
public final class EventAssert extends AbstractAssert<EventAssert, TraceEvent> {

  private EventAssert(TraceEvent actual) {
    super(actual, EventAssert.class);
  }

  public static EventAssert assertThatEvent(TraceEvent e) {
    return new EventAssert(e);
  }

  /** The single event a one-line text makes. */
  public static TraceEvent parse(String line) {
    List<TraceEvent> events = TraceReader.parseAll(line + "\n");
    assertThat(events).as("events of %s", line).hasSize(1);
    return events.get(0);
  }

  public EventAssert isSyscall(String name) {
    isNotNull();
    if (!(actual instanceof SyscallEvent s)) {
      failWithMessage("expected syscall %s but was %s", name, actual);
      return this;
    }
    assertThat(s.name()).as("syscall name").isEqualTo(name);
    return this;
  }

  private SyscallEvent call() {
    isInstanceOf(SyscallEvent.class);
    return (SyscallEvent) actual;
  }

  public EventAssert hasArgs(String... texts) {
    assertThat(call().args().texts()).as("argument texts").containsExactly(texts);
    return this;
  }

  public EventAssert returns(long value) {
    assertThat(call().result()).as("result").isNotNull();
    assertThat(call().result().value()).as("return value").hasValue(value);
    return this;
  }

  public EventAssert returnsText(String text) {
    assertThat(call().result()).as("result").isNotNull();
    assertThat(call().result().text()).as("return text").isEqualTo(text);
    return this;
  }

  public EventAssert failsWith(String errno) {
    assertThat(call().result().errno()).as("errno").isEqualTo(errno);
    assertThat(call().result().failed()).as("failed").isTrue();
    return this;
  }

  public EventAssert succeeds() {
    assertThat(call().result().errno()).as("errno").isNull();
    return this;
  }

  public EventAssert hasPid(Integer pid) {
    assertThat(actual.pid()).as("pid").isEqualTo(pid);
    return this;
  }

  public EventAssert hasTime(String time) {
    assertThat(actual.prefix().time()).as("time").isEqualTo(time);
    return this;
  }

  public EventAssert hasDuration(double seconds) {
    assertThat(call().duration()).as("duration").isEqualTo(seconds);
    return this;
  }

  public EventAssert isCompletion(SyscallEvent.Completion c) {
    assertThat(call().completion()).as("completion").isEqualTo(c);
    return this;
  }

  public EventAssert isUnparsed() {
    isInstanceOf(UnparsedEvent.class);
    return this;
  }

  public EventAssert isNotice(NoticeEvent.Kind kind) {
    isInstanceOf(NoticeEvent.class);
    assertThat(((NoticeEvent) actual).kind()).as("notice kind").isEqualTo(kind);
    return this;
  }

  public EventAssert isLine(int line) {
    assertThat(actual.line()).as("line").isEqualTo(line);
    return this;
  }
}
