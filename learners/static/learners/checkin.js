/*
 * The participant list's "Scan with the camera" (learners/teaching_session.html).
 *
 * Where the browser reads QR codes (BarcodeDetector) and may use a camera (getUserMedia), the
 * button is shown; it opens the camera, and the first QR code read fills the check-in form and
 * submits it, as if the code had been typed. Anywhere else the button stays hidden and the
 * form works as it is. The page's texts are in its HTML, translated there.
 */
(function () {
    "use strict";

    var form = document.querySelector("[data-checkin-form]");
    var scanner = document.querySelector("[data-scanner]");
    var problem = document.querySelector("[data-scan-problem]");
    if (!form || !scanner || !problem) {
        return;
    }
    var start = form.querySelector("[data-scan-start]");
    var stop = scanner.querySelector("[data-scan-stop]");
    var video = scanner.querySelector("video");
    var input = form.querySelector("input[name=ticket]");
    if (
        !start || !stop || !video || !input ||
        !("BarcodeDetector" in window) ||
        !navigator.mediaDevices ||
        typeof navigator.mediaDevices.getUserMedia !== "function"
    ) {
        return;
    }

    var detector = null;
    var stream = null;
    var scanning = false;

    function close() {
        scanning = false;
        if (stream) {
            stream.getTracks().forEach(function (track) { track.stop(); });
            stream = null;
        }
        video.srcObject = null;
        scanner.hidden = true;
        start.hidden = false;
    }

    function submit(code) {
        close();
        input.value = code.trim();
        if (typeof form.requestSubmit === "function") {
            form.requestSubmit();
        } else {
            form.submit();
        }
    }

    function look() {
        if (!scanning) {
            return;
        }
        detector.detect(video).then(function (codes) {
            var found = codes.find(function (code) { return code.rawValue; });
            if (found && scanning) {
                submit(found.rawValue);
            } else {
                window.setTimeout(look, 150);
            }
        }).catch(function () {
            window.setTimeout(look, 300); // no picture yet
        });
    }

    function open() {
        problem.hidden = true;
        navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
            .then(function (media) {
                stream = media;
                video.srcObject = media;
                scanner.hidden = false;
                start.hidden = true;
                return video.play();
            })
            .then(function () {
                scanning = true;
                stop.focus();
                look();
            })
            .catch(function () {
                close();
                problem.hidden = false;
                input.focus();
            });
    }

    window.BarcodeDetector.getSupportedFormats().then(function (formats) {
        if (formats.indexOf("qr_code") === -1) {
            return;
        }
        detector = new window.BarcodeDetector({ formats: ["qr_code"] });
        start.hidden = false;
        start.addEventListener("click", open);
        stop.addEventListener("click", function () {
            close();
            start.focus();
        });
        document.addEventListener("visibilitychange", function () {
            if (document.hidden) {
                close();
            }
        });
    }).catch(function () {
        // No QR codes here: typing stays the way.
    });
}());
