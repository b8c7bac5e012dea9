package dev.capsule.server.host.internal;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.server.standard.ServletServerContainerFactoryBean;

/**
 * The shell's WebSocket endpoint, {@code /shell/ws/{appId}}, with {@link ShellHandshake}'s checks and the container's
 * message limit ({@code capsule.host.message-bytes-max}: a larger browser frame closes the socket with 1009).
 * Spring's own origin check is replaced by {@link ShellHandshake}'s (same origin only, Origin required).
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSocket
class HostSocketConfiguration implements WebSocketConfigurer {
    private final SessionHost host;

    HostSocketConfiguration(SessionHost host) {
        this.host = host;
    }

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
        registry.addHandler(new HostSocketHandler(host), ShellHandshake.PATH_PREFIX + "*")
                .addInterceptors(new ShellHandshake())
                .setAllowedOriginPatterns("*"); // the interceptor decides: exactly the server's own origin
    }

    @Bean
    ServletServerContainerFactoryBean shellSocketContainer(HostSettings settings) {
        ServletServerContainerFactoryBean container = new ServletServerContainerFactoryBean();
        container.setMaxTextMessageBufferSize(settings.messageBytesMax());
        container.setMaxBinaryMessageBufferSize(1024);
        return container;
    }
}
