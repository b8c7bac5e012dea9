package dev.capsule.runtime.net;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A WebSocket connection exactly as the mini-program asked for it ({@code wx.connectSocket}'s url,
 * header and protocols). Like {@link HttpRequestSpec} it only copies; {@link GuardedSocketClient#connect}
 * judges every part and answers a bad one with a refusal, never an exception.
 *
 * @param url       an absolute {@code wss} URL whose host and port are in {@code network.connectSocket}
 * @param headers   header names to values, held to {@link GuestHeaders}' rules; order kept
 * @param protocols sub-protocols offered in {@code Sec-WebSocket-Protocol}, each an HTTP token
 */
public record SocketRequestSpec(String url, Map<String, String> headers, List<String> protocols) {
    public SocketRequestSpec {
        url = Objects.requireNonNullElse(url, "");
        headers = headers == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        protocols = protocols == null ? List.of() : Collections.unmodifiableList(new java.util.ArrayList<>(protocols));
    }
}
