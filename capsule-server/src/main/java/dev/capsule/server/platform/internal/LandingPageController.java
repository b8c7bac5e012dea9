package dev.capsule.server.platform.internal;

import org.springframework.http.MediaType;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The page a person gets who opens the server's address in a browser: what this server is and where
 * to go (the console's sign-in, the public endpoints, the docs). Only requests that ask for HTML reach
 * it ({@link SecurityConfiguration#LANDING_PAGE}); API clients keep getting a problem+json 401 at
 * {@code /}. It shows nothing about the installation beyond what the public endpoints already say.
 */
@Controller
class LandingPageController {
    static final String PATH = "/";

    @GetMapping(path = PATH, produces = MediaType.TEXT_HTML_VALUE)
    String landing(Model model) {
        return "platform/landing";
    }
}
