package dev.capsule.runtime.internal;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test-only: runs inside the worker sandbox and reports what it could do, one line on stdout. */
public final class SandboxProbe {
    private SandboxProbe() {}

    public static void main(String[] args) {
        try {
            System.out.println(probe(args));
        } catch (Exception e) {
            System.out.println("blocked " + e.getClass().getSimpleName());
        }
        System.out.flush();
    }

    private static String probe(String[] args) throws Exception {
        return switch (args[0]) {
            case "connect" -> {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(args[1], Integer.parseInt(args[2])), 2_000);
                    yield "connected";
                }
            }
            case "read" -> "read " + Files.readAllBytes(Path.of(args[1])).length;
            case "write" -> {
                Files.writeString(Path.of(args[1]), "x");
                yield "wrote";
            }
            case "exists" -> "exists " + Files.exists(Path.of(args[1]));
            case "netns" -> "netns " + Files.readSymbolicLink(Path.of("/proc/self/ns/net"));
            case "status" -> "status " + String.join("|", Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(l -> l.startsWith("Uid:") || l.startsWith("CapEff:") || l.startsWith("NSpid:")).toList());
            case "fill" -> {
                try (var out = Files.newOutputStream(Path.of(args[1]))) {
                    byte[] mb = new byte[1024 * 1024];
                    for (int i = 0; i < Integer.parseInt(args[2]); i++) {
                        out.write(mb);
                    }
                }
                yield "filled";
            }
            case "userns" -> {
                Process p = new ProcessBuilder("/usr/bin/unshare", "-Ur", "true").redirectErrorStream(true).start();
                yield p.waitFor() == 0 ? "userns created" : "blocked userns";
            }
            case "env" -> "env " + new java.util.TreeSet<>(System.getenv().keySet());
            case "processes" -> "processes " + ProcessHandle.allProcesses().count();
            case "limits" -> "limits " + String.join("|", Files.readAllLines(Path.of("/proc/self/limits")).stream()
                    .filter(l -> l.startsWith("Max cpu time") || l.startsWith("Max address space") || l.startsWith("Max open files")
                            || l.startsWith("Max core file size")).map(l -> l.replaceAll("\\s+", " ")).toList());
            default -> "unknown probe";
        };
    }
}
