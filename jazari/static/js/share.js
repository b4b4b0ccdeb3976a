/*
 * "Share this page": where the browser can share (the Web Share API, mostly phones), a "Share…"
 * button opens the system's share sheet. The plain links beside it work without this script.
 */
(function () {
    "use strict";
    if (typeof navigator.share !== "function") {
        return;
    }
    document.querySelectorAll(".share__native").forEach(function (item) {
        var button = item.querySelector("button");
        if (!button) {
            return;
        }
        item.hidden = false;
        button.addEventListener("click", function () {
            navigator
                .share({ title: button.dataset.shareTitle, url: button.dataset.shareUrl })
                .catch(function () {
                    /* dismissed by the visitor, or refused by the browser: nothing to do */
                });
        });
    });
})();
