package dev.memtrace.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The typed tree of argument values, built by the grammar on demand. */
class ArgParserTest {

  @Test
  void numbersFlagsAndSymbols() {
    assertThat(ArgParser.parseValue("0x7f9b0f71e000").asLong()).hasValue(0x7f9b0f71e000L);
    assertThat(ArgParser.parseValue("-1").asLong()).hasValue(-1);
    assertThat(ArgParser.parseValue("0644").asLong()).hasValue(0644);
    assertThat(ArgParser.parseValue("NULL").asLong()).hasValue(0);
    Arg flags = ArgParser.parseValue("MAP_PRIVATE|MAP_FIXED|MAP_DENYWRITE");
    assertThat(flags)
        .isInstanceOfSatisfying(
            Arg.Flags.class,
            f ->
                assertThat(f.parts())
                    .extracting(Arg::text)
                    .containsExactly("MAP_PRIVATE", "MAP_FIXED", "MAP_DENYWRITE"));
    Arg verbose = ArgParser.parseValue("0x3 /* PROT_READ|PROT_WRITE */");
    assertThat(verbose)
        .isInstanceOfSatisfying(
            Arg.Commented.class,
            c -> {
              assertThat(c.comment()).isEqualTo("PROT_READ|PROT_WRITE");
              assertThat(c.asLong()).hasValue(3);
            });
    assertThat(ArgParser.parseValue("8192*1024")).isInstanceOf(Arg.Other.class);
  }

  @Test
  void stringsDecodeToBytes() {
    Arg s =
        ArgParser.parseValue("\"\\0\\1abc\\377\\376\\303\\251 tab\\t quote\\\" bslash\\\\ 01\"...");
    assertThat(s)
        .isInstanceOfSatisfying(
            Arg.Str.class,
            str -> {
              assertThat(str.truncated()).isTrue();
              assertThat(str.bytes())
                  .containsExactly(
                      concat(
                          new byte[] {0, 1},
                          "abc",
                          new byte[] {(byte) 0xff, (byte) 0xfe, (byte) 0xc3, (byte) 0xa9},
                          " tab\t quote\" bslash\\ 01"));
            });
    Arg hex = ArgParser.parseValue("\"\\x2f\\x65\\x74\\x63\"");
    assertThat(((Arg.Str) hex).bytes()).isEqualTo("/etc".getBytes(StandardCharsets.US_ASCII));
    Arg padded = ArgParser.parseValue("\"\\0001\"");
    assertThat(((Arg.Str) padded).bytes()).containsExactly(0, '1');
  }

  @Test
  void structsArraysBitsetsCalls() {
    Arg st = ArgParser.parseValue("{st_mode=S_IFREG|0644, st_size=3, ...}");
    assertThat(st)
        .isInstanceOfSatisfying(
            Arg.Struct.class,
            s -> {
              assertThat(s.get("st_size").asLong()).hasValue(3);
              assertThat(s.get("st_mode")).isInstanceOf(Arg.Flags.class);
              assertThat(s.fields().get(2).name()).isNull();
            });
    Arg iov =
        ArgParser.parseValue(
            "[{iov_base=\"first \", iov_len=6}, {iov_base=\"second \", iov_len=7}]");
    assertThat(((Arg.Array) iov).items()).hasSize(2);
    assertThat(ArgParser.parseValue("[USR2 RT_2 RT_3]"))
        .isInstanceOfSatisfying(
            Arg.BitSet.class, b -> assertThat(b.members()).containsExactly("USR2", "RT_2", "RT_3"));
    assertThat(ArgParser.parseValue("~[KILL STOP]"))
        .isInstanceOfSatisfying(Arg.BitSet.class, b -> assertThat(b.complement()).isTrue());
    assertThat(ArgParser.parseValue("~[]"))
        .isInstanceOfSatisfying(Arg.BitSet.class, b -> assertThat(b.members()).isEmpty());
    assertThat(ArgParser.parseValue("[2 /* INT */ 15 /* TERM */]"))
        .isInstanceOfSatisfying(
            Arg.BitSet.class,
            b -> assertThat(b.members()).containsExactly("2 /* INT */", "15 /* TERM */"));
    assertThat(ArgParser.parseValue("~[RT_1]"))
        .isInstanceOfSatisfying(
            Arg.BitSet.class, b -> assertThat(b.members()).containsExactly("RT_1"));
    assertThat(ArgParser.parseValue("flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD"))
        .isInstanceOfSatisfying(
            Arg.Named.class,
            n -> {
              assertThat(n.name()).isEqualTo("flags");
              assertThat(n.value()).isInstanceOf(Arg.Flags.class);
            });
    assertThat(
            ArgParser.parseValue(
                "flags=0x1200000 /* CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID */|17 /* SIGCHLD */"))
        .isInstanceOfSatisfying(
            Arg.Named.class, n -> assertThat(n.value()).isInstanceOf(Arg.Flags.class));
    Arg addr =
        ArgParser.parseValue(
            "{sa_family=AF_INET, sin_port=htons(45219), sin_addr=inet_addr(\"127.0.0.1\")}");
    assertThat(((Arg.Struct) addr).get("sin_port"))
        .isInstanceOfSatisfying(
            Arg.Call.class,
            c -> {
              assertThat(c.function()).isEqualTo("htons");
              assertThat(c.args().get(0).asLong()).hasValue(45219);
            });
    assertThat(ArgParser.parseValue("[32 => 16]"))
        .isInstanceOfSatisfying(
            Arg.Array.class,
            a ->
                assertThat(a.items().get(0))
                    .isInstanceOfSatisfying(
                        Arg.Changed.class, c -> assertThat(c.asLong()).hasValue(16)));
    assertThat(ArgParser.parseValue("[{WIFEXITED(s) && WEXITSTATUS(s) == 0}]"))
        .isInstanceOf(Arg.Array.class);
    assertThat(ArgParser.parseValue("0x7ffc1d31b478 /* 2 vars */"))
        .isInstanceOf(Arg.Commented.class);
  }

  @Test
  void fdDecorations() {
    assertThat(ArgParser.parseValue("12</dev/null<char 1:3>>"))
        .isInstanceOfSatisfying(
            Arg.Fd.class,
            f -> {
              assertThat(f.path()).isEqualTo("/dev/null<char 1:3>");
              assertThat(f.asLong()).hasValue(12);
            });
    assertThat(ArgParser.parseValue("11</memfd:my memfd>(deleted)"))
        .isInstanceOfSatisfying(Arg.Fd.class, f -> assertThat(f.deleted()).isTrue());
    assertThat(ArgParser.parseValue("18<TCP:[127.0.0.1:45219->127.0.0.1:43724]>"))
        .isInstanceOfSatisfying(
            Arg.Fd.class,
            f -> assertThat(f.path()).isEqualTo("TCP:[127.0.0.1:45219->127.0.0.1:43724]"));
    assertThat(ArgParser.parseValue("AT_FDCWD</home/user>"))
        .isInstanceOfSatisfying(Arg.Fd.class, f -> assertThat(f.fd().text()).isEqualTo("AT_FDCWD"));
  }

  @Test
  void everyCorpusArgumentGetsATree() {
    for (var log : Corpus.allLogs()) {
      String name = log.getFileName().toString();
      // In stderr-mode logs the tracee's output can sit inside an argument: that stays text.
      boolean spliced = name.contains("stderr") || name.contains("stdout_in_log");
      for (TraceEvent e : Corpus.events(log)) {
        if (e instanceof SyscallEvent s && s.result() != null && !spliced) {
          for (int i = 0; i < s.args().size(); i++) {
            assertThat(s.args().get(i))
                .as("argument %d of %s line %d", i, name, e.line())
                .isNotInstanceOf(Arg.Other.class);
          }
        }
      }
    }
  }

  private static byte[] concat(Object... parts) {
    var out = new ByteArrayOutputStream();
    for (Object p : parts) {
      byte[] b = p instanceof String s ? s.getBytes(StandardCharsets.ISO_8859_1) : (byte[]) p;
      out.writeBytes(b);
    }
    return out.toByteArray();
  }
}
