package dev.capsule.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.runtime.host.AuditEvent;
import dev.capsule.runtime.host.DeviceServices;
import dev.capsule.runtime.host.ImageViewer;
import dev.capsule.runtime.net.GuardedHttpClient;
import dev.capsule.runtime.net.TestNetwork;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * wx.connectSocket (SocketTask), wx.downloadFile and wx.uploadFile end to end, in both isolation
 * tiers, against real local WSS and HTTPS servers with a test CA (TestNetwork): the real path and
 * every denial, each audited. The harnesses are this class's own (Tiers' use the production client,
 * which cannot reach a loopback server).
 */
class NetworkTaskApisTest {
    static final String MANIFEST = """
            {"id":"com.example.net","version":"1.0.0","name":"Net","developer":{"id":"ex","name":"Ex"},
             "network":{"request":["api.example.com"],"connectSocket":["api.example.com","internal.example.com"],
                        "downloadFile":["api.example.com"],"uploadFile":["api.example.com"]}}""";
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final List<AuditEvent> AUDIT = new CopyOnWriteArrayList<>();
    private static final Map<Isolation, Harness> HARNESSES = new EnumMap<>(Isolation.class);
    private static final List<ImageViewer.Image> SHOWN = new CopyOnWriteArrayList<>();
    private static TestNetwork network;

    @BeforeAll
    static void start() {
        network = TestNetwork.start();
        network.respond("/files/photo.png", 200, "image/png", "PNGDATA");
        network.respond("/files/report", 200, "application/pdf", "%PDF");
        network.respond("/upload", 200, "text/plain", "uploaded");
        GuardedHttpClient client = network.client();
        // previewImage's viewer records what it was handed: a session's downloaded file arrives as its bytes.
        DeviceServices devices = DeviceServices.NONE.withImageViewer((app, images, current) -> SHOWN.addAll(images));
        HostServices services = HostServices.defaults().withAudit(AUDIT::add).withDevices(devices);
        HARNESSES.put(Isolation.IN_PROCESS, new Harness(services, RuntimeLimits.DEFAULTS, client, false));
        HARNESSES.put(Isolation.PROCESS, new Harness(Isolation.PROCESS, services, RuntimeLimits.DEFAULTS, client, false,
                WorkerLimits.DEFAULTS.withWorkers(4, 1)));
    }

    @AfterAll
    static void stop() {
        HARNESSES.values().forEach(Harness::close);
        network.close();
    }

    private static Harness.Run run(Isolation tier, String onLoadBody) {
        return HARNESSES.get(tier).run(TestApps.app("capsule.json", MANIFEST, "pages/index/index.js", "Page({onLoad(){ " + onLoadBody + " }})"));
    }

    /** Waits for the session's console to satisfy {@code done}: socket events arrive after the session went idle. */
    private static List<String> logsWhen(Harness.Run r, Predicate<List<String>> done) {
        long until = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < until) {
            List<String> logs = r.events().logs();
            if (done.test(logs)) {
                return logs;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("timed out; logs: " + r.events().logs());
    }

    private static boolean audited(String action, String outcome, String detail) {
        return AUDIT.stream().anyMatch(a -> a.action().equals(action) && a.outcome().equals(outcome) && a.detail().contains(detail));
    }

    // ---- connectSocket --------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void aSocketTaskSendsAndReceivesTextAndArrayBuffersThenCloses(Isolation tier) {
        String body = """
                const task = wx.connectSocket({url:'wss://api.example.com/echo', header:{'X-Token':'t1', 'Origin':'evil'},
                    success(){ console.log('connected') }});
                task.onOpen(() => { console.log('open'); task.send({data:'hello'}); task.send({data:new Uint8Array([1,2,255]).buffer}); });
                let n = 0;
                task.onMessage(m => {
                  console.log(typeof m.data === 'string' ? 'text ' + m.data : 'binary ' + Array.from(new Uint8Array(m.data)).join(','));
                  if (++n === 2) task.close({code:1000, reason:'done'});
                });
                task.onClose(c => console.log('close ' + c.code));
                """;
        try (var r = run(tier, body)) {
            List<String> logs = logsWhen(r, l -> l.contains("close 1000"));
            assertThat(logs).containsExactly("connected", "open", "text hello", "binary 1,2,255", "close 1000");
        }
        var upgrade = network.sockets().upgrades().getLast();
        assertThat(upgrade.get("x-token")).containsExactly("t1");
        assertThat(upgrade.get("user-agent")).containsExactly(GuardedHttpClient.USER_AGENT);
        assertThat(upgrade.get("origin")).isNull(); // an identity header the guest may not set: dropped, as for wx.request
        assertThat(audited("wx.connectSocket", "opened", "api.example.com")).isTrue();
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void socketsToHostsOffTheAllowlistOverWsOrToPrivateAddressesAreDeniedAndAudited(Isolation tier) {
        int before = network.sockets().upgrades().size();
        String body = """
                for (const url of ['wss://cdn.example.com/echo', 'ws://api.example.com/echo', 'wss://internal.example.com/echo']) {
                  const t = wx.connectSocket({url, fail(e){ console.log(e.errMsg) }});
                  t.onError(e => console.log('onError'));
                }
                """;
        try (var r = run(tier, body)) {
            List<String> logs = logsWhen(r, l -> l.size() >= 6);
            assertThat(logs).contains(
                    "connectSocket:fail 'cdn.example.com' is not in network.connectSocket",
                    "connectSocket:fail only wss URLs are allowed, not ws:",
                    "connectSocket:fail internal.example.com resolves to an address that is not public (private network)");
            assertThat(logs).filteredOn("onError"::equals).hasSize(3);
        }
        assertThat(network.sockets().upgrades()).hasSize(before);
        assertThat(audited("wx.connectSocket", "denied", "cdn.example.com")).isTrue();
        assertThat(audited("wx.connectSocket", "denied", "only wss URLs")).isTrue();
        assertThat(audited("wx.connectSocket", "denied", "internal.example.com resolves")).isTrue();
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void aSixthSocketIsDeniedAndAudited(Isolation tier) {
        String body = """
                let opened = 0;
                for (let i = 0; i < 6; i++) {
                  const t = wx.connectSocket({url:'wss://api.example.com/echo', fail(e){ console.log(e.errMsg) }});
                  t.onOpen(() => { if (++opened === 5) console.log('five open'); });
                }
                """;
        try (var r = run(tier, body)) {
            assertThat(logsWhen(r, l -> l.contains("five open"))).contains("connectSocket:fail too many sockets open (at most 5)");
        }
        assertThat(audited("wx.connectSocket", "denied", "too many sockets open (at most 5)")).isTrue();
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void messagesOverTheSizeLimitAreDeniedOutgoingAndCloseTheSocketIncoming(Isolation tier) {
        String body = """
                const t = wx.connectSocket({url:'wss://api.example.com/echo'});
                t.onOpen(() => {
                  t.send({data:'x'.repeat(262145), fail(e){ console.log(e.errMsg); t.send({data:'big:300000'}); }});
                });
                t.onMessage(m => console.log('message ' + m.data.length));
                t.onError(e => console.log('error ' + e.errMsg));
                t.onClose(c => console.log('close ' + c.code));
                """;
        try (var r = run(tier, body)) {
            List<String> logs = logsWhen(r, l -> l.stream().anyMatch(s -> s.startsWith("close")));
            assertThat(logs).startsWith("send:fail message of 262145 bytes is larger than 262144 bytes".replace("send:", "connectSocket.send:"));
            assertThat(logs).contains("close 1009").noneMatch(s -> s.startsWith("message"));
        }
        assertThat(audited("wx.connectSocket.send", "denied", "262145 bytes")).isTrue();
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void receivingMoreMessagesThanTheRateAllowsClosesTheSocketAndIsAudited(Isolation tier) {
        String body = """
                const t = wx.connectSocket({url:'wss://api.example.com/echo'});
                let n = 0;
                t.onOpen(() => t.send({data:'flood:650'}));
                t.onMessage(() => n++);
                t.onError(e => console.log('error ' + e.errMsg));
                t.onClose(c => console.log('close ' + c.code + ' after ' + n));
                """;
        try (var r = run(tier, body)) {
            assertThat(logsWhen(r, l -> l.stream().anyMatch(s -> s.startsWith("close"))))
                    .containsExactly("error too many messages received (at most 600 per minute)", "close 1008 after 600");
        }
        assertThat(audited("wx.connectSocket", "denied", "too many messages received")).isTrue();
    }

    // ---- downloadFile / uploadFile --------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void aDownloadLandsInTheTempAreaAndUploadsFromItAsMultipart(Isolation tier) {
        String body = """
                wx.downloadFile({url:'https://api.example.com/files/photo.png', success(d){
                  console.log(d.statusCode + ' ' + d.tempFilePath);
                  wx.uploadFile({url:'https://api.example.com/upload', filePath:d.tempFilePath, name:'photo', formData:{album:'cats'},
                    header:{'X-Token':'t2'}, success(u){ console.log('up ' + u.statusCode + ' ' + u.data) }, fail(e){ console.log(e.errMsg) }});
                }, fail(e){ console.log(e.errMsg) }});
                """;
        try (var r = run(tier, body)) {
            List<String> logs = logsWhen(r, l -> l.size() >= 2);
            assertThat(logs.getFirst()).matches("200 wxfile://tmp/[0-9a-f]{32}\\.png");
            assertThat(logs.get(1)).isEqualTo("up 200 uploaded");
        }
        var upload = network.requests().getLast();
        assertThat(upload.header("content-type")).startsWith("multipart/form-data; boundary=");
        assertThat(upload.header("x-token")).isEqualTo("t2");
        assertThat(upload.bodyText()).contains("name=\"album\"\r\n\r\ncats\r\n").contains("name=\"photo\"; filename=\"").contains("\r\n\r\nPNGDATA\r\n");
        assertThat(audited("wx.downloadFile", "status 200", "api.example.com")).isTrue();
        assertThat(audited("wx.uploadFile", "status 200", "api.example.com")).isTrue();
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void uploadsOfAnotherSessionsFileOrAHostPathAndTransfersOffTheAllowlistAreDeniedAndAudited(Isolation tier) {
        String foreign;
        try (var first = run(tier, "wx.downloadFile({url:'https://api.example.com/files/report', success(d){ console.log(d.tempFilePath) }})")) {
            foreign = logsWhen(first, l -> !l.isEmpty()).getFirst();
            assertThat(foreign).matches("wxfile://tmp/[0-9a-f]{32}\\.pdf");
        }
        int before = network.requestCount();
        String body = "for (const filePath of ['" + foreign + "', '/etc/passwd']) wx.uploadFile({url:'https://api.example.com/upload', filePath, name:'f',"
                + " fail(e){ console.log(e.errMsg) }});"
                + " wx.downloadFile({url:'https://cdn.example.com/files/photo.png', fail(e){ console.log(e.errMsg) }});"
                + " wx.downloadFile({url:'http://api.example.com/files/photo.png', fail(e){ console.log(e.errMsg) }});";
        try (var r = run(tier, body)) {
            assertThat(logsWhen(r, l -> l.size() >= 4)).containsExactlyInAnyOrder(
                    "uploadFile:fail filePath is not a temporary file of this session (wxfile://tmp/…)",
                    "uploadFile:fail filePath is not a temporary file of this session (wxfile://tmp/…)",
                    "downloadFile:fail 'cdn.example.com' is not in network.downloadFile",
                    "downloadFile:fail only https URLs are allowed, not http:");
        }
        assertThat(network.requestCount()).isEqualTo(before);
        assertThat(AUDIT.stream().filter(a -> a.action().equals("wx.uploadFile") && a.outcome().equals("denied")).count()).isGreaterThanOrEqualTo(2);
        assertThat(audited("wx.downloadFile", "denied", "not in network.downloadFile")).isTrue();
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void previewImageShowsThisSessionsDownloadedFileAndDeniesAnyOtherTempPath(Isolation tier) {
        String foreign;
        try (var first = run(tier, "wx.downloadFile({url:'https://api.example.com/files/photo.png', success(d){ console.log(d.tempFilePath) }})")) {
            foreign = logsWhen(first, l -> !l.isEmpty()).getFirst();
        }
        SHOWN.clear();
        String body = """
                wx.downloadFile({url:'https://api.example.com/files/photo.png', success(d){
                  console.log('own ' + (d.tempFilePath !== '%1$s'));
                  wx.previewImage({urls:[d.tempFilePath], success(r){ console.log('shown ' + r.errMsg) }, fail(e){ console.log('own ' + e.errMsg) }});
                  wx.previewImage({urls:['%1$s'], fail(e){ console.log('foreign ' + e.errMsg) }});
                  wx.previewImage({urls:['wxfile://tmp/0123456789abcdef0123456789abcdef.png'], fail(e){ console.log('unknown ' + e.errMsg) }});
                }, fail(e){ console.log(e.errMsg) }});
                """.formatted(foreign);
        try (var r = run(tier, body)) {
            assertThat(logsWhen(r, l -> l.size() >= 4)).containsExactlyInAnyOrder("own true", "shown previewImage:ok",
                    "foreign previewImage:fail image \"" + foreign + "\" is not a temporary file of this session",
                    "unknown previewImage:fail image \"wxfile://tmp/0123456789abcdef0123456789abcdef.png\" is not a temporary file of this session");
        }
        assertThat(SHOWN).singleElement().isInstanceOfSatisfying(ImageViewer.Image.TempFile.class, f -> {
            assertThat(f.path()).matches("wxfile://tmp/[0-9a-f]{32}\\.png").isNotEqualTo(foreign);
            assertThat(new String(f.content(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("PNGDATA");
        });
        assertThat(audited("wx.previewImage", "shown", "1 images")).isTrue();
        assertThat(audited("wx.previewImage", "denied", foreign)).isTrue();
        assertThat(audited("wx.previewImage", "denied", "0123456789abcdef0123456789abcdef")).isTrue();
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void theTempAreaQuotaDeniesTheDownloadThatWouldExceedIt(Isolation tier) {
        String body = """
                let n = 0;
                function next() {
                  wx.downloadFile({url:'https://api.example.com/files/photo.png',
                    success(){ n++; next(); }, fail(e){ console.log(n + ' ' + e.errMsg) }});
                }
                next();
                """;
        try (var r = run(tier, body)) {
            assertThat(logsWhen(r, l -> !l.isEmpty())).containsExactly("64 downloadFile:fail temporary file quota exceeded (at most 64 files per session)");
        }
        assertThat(audited("wx.downloadFile", "denied", "temporary file quota exceeded")).isTrue();
    }
}
