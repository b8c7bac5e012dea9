package dev.capsule.runtime.host;

import java.util.Objects;
import java.util.Optional;

/**
 * The optional device services a host provides (clipboard, dialer, image viewer, screen and
 * vibration, network status). Each one that is missing makes its APIs absent, never a stub.
 */
public record DeviceServices(
        Optional<Clipboard> clipboard,
        Optional<PhoneDialer> phone,
        Optional<ImageViewer> imageViewer,
        Optional<DeviceControls> controls,
        Optional<NetworkStatus> networkStatus) {

    public DeviceServices {
        Objects.requireNonNull(clipboard, "clipboard");
        Objects.requireNonNull(phone, "phone");
        Objects.requireNonNull(imageViewer, "imageViewer");
        Objects.requireNonNull(controls, "controls");
        Objects.requireNonNull(networkStatus, "networkStatus");
    }

    /** No device services: their APIs are absent. */
    public static final DeviceServices NONE =
            new DeviceServices(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

    /**
     * A headless host's (the CLI's): a clipboard nobody pastes from, a dialer with nobody to confirm
     * (every call cancelled), a viewer and controls with no screen or motor, an unknown network.
     */
    public static final DeviceServices HEADLESS = new DeviceServices(Optional.of(Clipboard.HEADLESS), Optional.of(PhoneDialer.HEADLESS),
            Optional.of(ImageViewer.HEADLESS), Optional.of(DeviceControls.HEADLESS), Optional.of(NetworkStatus.HEADLESS));

    public DeviceServices withClipboard(Clipboard value) {
        return new DeviceServices(Optional.of(value), phone, imageViewer, controls, networkStatus);
    }

    public DeviceServices withPhone(PhoneDialer value) {
        return new DeviceServices(clipboard, Optional.of(value), imageViewer, controls, networkStatus);
    }

    public DeviceServices withImageViewer(ImageViewer value) {
        return new DeviceServices(clipboard, phone, Optional.of(value), controls, networkStatus);
    }

    public DeviceServices withControls(DeviceControls value) {
        return new DeviceServices(clipboard, phone, imageViewer, Optional.of(value), networkStatus);
    }

    public DeviceServices withNetworkStatus(NetworkStatus value) {
        return new DeviceServices(clipboard, phone, imageViewer, controls, Optional.of(value));
    }
}
