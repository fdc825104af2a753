"""jupyter_kernel_test against the installed `gcnlab` kernel, every applicable sample filled in."""
import unittest

import jupyter_kernel_test

# A 1x1 red PNG, base64.
PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg=="


class GcnlabKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = "gcnlab"
    language_name = "typescript"
    file_extension = ".ts"

    code_hello_world = 'console.log("hello, world")'
    code_stderr = 'console.error("oops")'

    completion_samples = [
        {"text": "Math.ma", "matches": {"max"}},
        {"text": "const greeting = 'hi'; greeting.toUpp", "matches": {"toUpperCase"}},
    ]

    complete_code_samples = ["1 + 1", "let a: number = 1", "function f() { return 1 }", "%device"]
    incomplete_code_samples = ["function f() {", "for (let i = 0; i < 3; i++) {", "const xs = [1,"]
    invalid_code_samples = ["}", "let = ;"]

    code_generate_error = 'throw new Error("deliberate")'

    code_execute_result = [
        {"code": "1 + 2", "result": "3"},
        {"code": "'a' + 'b'", "result": "'ab'"},
        {"code": "[1, 2].map((x) => x * 2)", "result": "[ 2, 4 ]"},
        {"code": "const o = { n: 1 }; o", "result": "{ n: 1 }"},
    ]

    code_display_data = [
        {"code": 'display.html("<b>bold</b>")', "mime": "text/html"},
        {"code": 'display.markdown("# title")', "mime": "text/markdown"},
        {"code": 'display.svg("<svg xmlns=\'http://www.w3.org/2000/svg\'/>")', "mime": "image/svg+xml"},
        {"code": f'display.png("{PNG}")', "mime": "image/png"},
        {"code": "display.json({ a: 1 })", "mime": "application/json"},
        {"code": "display.plotly({ data: [{ x: [1, 2], y: [3, 4], type: 'scatter' }], layout: {} })", "mime": "application/vnd.plotly.v1+json"},
        {"code": "display({ data: [{ y: [1, 2] }], layout: { title: { text: 't' } } })", "mime": "application/vnd.plotly.v1+json"},
    ]

    code_history_pattern = "1 ? 2"
    supported_history_operations = ("tail", "range", "search")

    code_inspect_sample = "Math.max"

    code_clear_output = "clearOutput()"


if __name__ == "__main__":
    unittest.main()
