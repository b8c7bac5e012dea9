package dev.capsule.runtime.internal;

import dev.capsule.runtime.ApiGroup;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Everything the runtime knows about one {@code wx} API: how the guest calls it, where it runs, whether
 * it may wait for the user, when it exists and how its arguments and result are shaped. {@link Apis}
 * holds the only list; the framework builds {@code wx} from it, the host dispatches by it, and the API
 * table in docs/runtime.md is generated from it.
 *
 * @param params for {@link Style#SYNC}: the names that the positional arguments become in the
 *     argument object ({@code setStorageSync(key, data)} → {@code {key, data}}); empty otherwise
 * @param bufferField for {@link Style#ASYNC}: a result field the host answers as an array of bytes
 *     that the guest gets as an {@code ArrayBuffer}, as in WeChat; null if none
 */
record WxApi(String name, ApiGroup group, Style style, Runs runs, List<String> params, String bufferField) {
    private static final Pattern NAME = Pattern.compile("[a-z][A-Za-z]{1,63}");

    public WxApi {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(style, "style");
        Objects.requireNonNull(runs, "runs");
        params = List.copyOf(params);
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("bad wx API name: " + name);
        }
        if (!params.isEmpty() && style != Style.SYNC) {
            throw new IllegalArgumentException(name + ": only a synchronous API takes positional parameters");
        }
        if (bufferField != null && style != Style.ASYNC) {
            throw new IllegalArgumentException(name + ": only an asynchronous result has buffer fields");
        }
        if ((runs instanceof Runs.Framework) != (style == Style.ON || style == Style.OFF)) {
            throw new IllegalArgumentException(name + ": listener APIs, and only they, run in the framework");
        }
        if (runs instanceof Runs.Builder && (style != Style.SYNC || !params.isEmpty())) {
            throw new IllegalArgumentException(name + ": a framework-built object is made by a synchronous call whose arguments it keeps");
        }
        if (runs instanceof Runs.Unavailable && bufferField != null) {
            throw new IllegalArgumentException(name + ": an unavailable API has no result fields");
        }
    }

    /** How the guest calls it. */
    enum Style {
        /** {@code wx.x({…, success, fail, complete})}, or a Promise when no callback is given. */
        ASYNC("async"),
        /** {@code wx.x(a, b)}: returns the value or throws an Error with the fail reason. */
        SYNC("sync"),
        /**
         * {@code wx.x(fn)}: the framework keeps {@code fn}, the session runs it later as its own event
         * (the handler gets {@code {id}}, the key the framework keeps it under).
         */
        DEFER("defer"),
        /** {@code wx.onX(listener)}: adds a listener to the API's channel. */
        ON("on"),
        /** {@code wx.offX(listener)}: removes it (every listener of the channel when none is given). */
        OFF("off");

        final String wireName;

        Style(String wireName) {
            this.wireName = wireName;
        }
    }

    /** Where the call is decided. */
    sealed interface Runs {
        /**
         * A policy API: always in the host, on {@link HostSide}, whatever the tier.
         *
         * @param mayPrompt true if it may wait for the user (a modal, a consent prompt, a payment sheet);
         *     the worker tier runs such calls off the frame reader
         */
        record Host(HostApi handler, Availability availability, boolean mayPrompt) implements Runs {
            public Host {
                Objects.requireNonNull(handler, "handler");
                Objects.requireNonNull(availability, "availability");
            }
        }

        /** Over the session's own state (page stack, fixed system facts): beside the engine. */
        record Local(LocalApi handler) implements Runs {
            public Local {
                Objects.requireNonNull(handler, "handler");
            }
        }

        /**
         * Exists and fails with {@code reason} (the view-layer APIs until the view layer exists): an
         * asynchronous call gets a {@code fail} result, a synchronous one (a factory such as
         * {@code createIntersectionObserver}) throws an Error with it, never {@code undefined is not a function};
         * {@code canIUse} answers false. Runs beside the engine like a session-local API.
         */
        record Unavailable(String reason) implements Runs {
            public Unavailable {
                if (reason == null || reason.isBlank()) {
                    throw new IllegalArgumentException("an unavailable API needs its reason");
                }
            }
        }

        /**
         * {@code wx.x(...)} returns an object framework.js builds (a query or animation builder): the
         * registry names which of the framework's builders ({@code builder}) so that framework.js names no
         * API, and the one host call the builder makes, if any ({@code exec}: a synchronous call under
         * this API's name, beside the engine; null when the object never calls the host).
         */
        record Builder(String builder, LocalApi exec) implements Runs {
            public Builder {
                if (builder == null || !builder.matches("[a-z][A-Za-z]{1,31}")) {
                    throw new IllegalArgumentException("bad builder name: " + builder);
                }
            }
        }

        /** Listeners the framework keeps on a named channel; nothing crosses the bridge. */
        record Framework(String channel, Availability availability) implements Runs {
            public Framework {
                Objects.requireNonNull(channel, "channel");
                Objects.requireNonNull(availability, "availability");
            }

            Framework(String channel) {
                this(channel, Availability.ALWAYS);
            }
        }
    }

    /**
     * When an API exists: always, or only with one optional host service (an API whose host service
     * is missing is absent, never a stub). A session's {@link Capabilities} name the services it has.
     */
    enum Availability {
        ALWAYS("always"),
        IDENTITY("with an `IdentityProvider`"),
        PAYMENT("with a `PaymentSheet`"),
        CLIPBOARD("with a `Clipboard`"),
        PHONE("with a `PhoneDialer`"),
        IMAGE_VIEWER("with an `ImageViewer`"),
        DEVICE_CONTROLS("with `DeviceControls`"),
        NETWORK_STATUS("with a `NetworkStatus`");

        final String description;

        Availability(String description) {
            this.description = description;
        }

        boolean test(Capabilities capabilities) {
            return this == ALWAYS || capabilities.services().contains(this);
        }
    }

    /** The host service this API needs, if any. */
    Availability availability() {
        return switch (runs) {
            case Runs.Host h -> h.availability();
            case Runs.Local l -> Availability.ALWAYS; // reaches nothing outside the session
            case Runs.Framework f -> f.availability();
            case Runs.Unavailable u -> Availability.ALWAYS;
            case Runs.Builder b -> Availability.ALWAYS; // built in the session; its exec reads the session's own view
        };
    }

    /** True if this session's {@code wx} has the member (an unavailable API has it too, and fails). */
    boolean availableWith(Capabilities capabilities) {
        return capabilities.groups().contains(group) && availability().test(capabilities);
    }

    /** True if the API works in such a session: what {@code canIUse} answers. */
    boolean usableWith(Capabilities capabilities) {
        return availableWith(capabilities) && !(runs instanceof Runs.Unavailable);
    }
}
