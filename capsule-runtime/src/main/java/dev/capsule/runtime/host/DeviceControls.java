package dev.capsule.runtime.host;

/**
 * Device behaviour a mini-program may ask for without learning anything back: keeping the screen on
 * ({@code wx.setKeepScreenOn}) and short or long vibration ({@code wx.vibrateShort}/{@code vibrateLong}).
 * The host decides whether to honour them (and stops keeping the screen on when the session ends).
 * Without controls, the APIs are absent.
 */
public interface DeviceControls {
    /** Keeps the screen on while the session is in front, or stops doing so. */
    void keepScreenOn(String appId, boolean on);

    /** One vibration; {@code longVibration} is WeChat's 400 ms one, otherwise its 15 ms one. */
    void vibrate(String appId, boolean longVibration);

    /** A headless host (the CLI): no screen and no motor. */
    DeviceControls HEADLESS = new DeviceControls() {
        @Override
        public void keepScreenOn(String appId, boolean on) {}

        @Override
        public void vibrate(String appId, boolean longVibration) {}
    };
}
