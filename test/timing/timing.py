"""The timing channel through jupyter_client, as the JupyterLab panel uses it: while a training cell runs with more
cells queued behind it, usage_request and gcnlab_timing_request are answered on the control channel (memory
figures, the history so far), epochs arrive on iopub before the cell's reply, and a device switch asked for then is
applied between the two cells."""
import json
import os
import time
import unittest

from jupyter_client.manager import start_new_kernel

TRAIN = """import { GCN, loadCora, train } from 'gcnlab';
const graph = await loadCora();
const model = new GCN({ xDim: graph.numFeatures, hDim: 16, outDim: graph.numClasses, seed: 0 });
const run = await train(model, graph, { epochs: 300, adjacency: 'dense' });
run.meanMs"""


class TimingChannel(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.km, cls.kc = start_new_kernel(kernel_name="gcnlab", startup_timeout=90)

    @classmethod
    def tearDownClass(cls):
        cls.kc.stop_channels()
        cls.km.shutdown_kernel(now=True)

    def control(self, msg_type, content, timeout=5):
        """Sends a control request, returns its reply's content; fails if it takes longer than `timeout` s."""
        msg = self.kc.session.msg(msg_type, content)
        self.kc.control_channel.send(msg)
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                reply = self.kc.get_control_msg(timeout=0.2)
            except Exception:
                continue
            if reply["parent_header"].get("msg_id") == msg["header"]["msg_id"]:
                return reply["content"]
        self.fail(f"no answer to {msg_type} within {timeout} s")

    def test_answers_while_cells_run_and_queue(self):
        # A client that never asked for the history gets no timing messages on iopub (the protocol's own only).
        self.kc.execute("1 + 1", reply=True, timeout=60)
        time.sleep(0.3)
        while True:
            try:
                msg = self.kc.get_iopub_msg(timeout=0.2)
            except Exception:
                break
            self.assertNotEqual(msg["msg_type"], "gcnlab_timing")
        # Asking for the history (as the panel does on connecting) starts them.
        self.assertEqual(self.control("gcnlab_timing_request", {"kind": "history"})["status"], "ok")
        time.sleep(0.2)
        train_id = self.kc.execute(TRAIN)
        after_id = self.kc.execute("1 + 1")
        records, replies = [], {}
        usage = history = switch = None
        deadline = time.time() + 180
        executed = lambda: sum(r["message"]["kind"] == "execution" for r in records)
        while (len(replies) < 2 or executed() < 2) and time.time() < deadline:
            try:
                msg = self.kc.get_iopub_msg(timeout=0.05)
                if msg["msg_type"] == "gcnlab_timing":
                    self.assertEqual(msg["parent_header"], {})
                    records += msg["content"]["records"]
            except Exception:
                pass
            try:
                msg = self.kc.get_shell_msg(timeout=0.01)
                if msg["parent_header"].get("msg_id") in (train_id, after_id):
                    replies[msg["parent_header"]["msg_id"]] = (time.time(), msg["content"], len(records))
            except Exception:
                pass
            epochs = [r for r in records if r["message"]["kind"] == "epoch"]
            if usage is None and len(epochs) >= 5 and train_id not in replies:
                # The training cell runs and another waits behind it: the control channel still answers.
                usage = self.control("usage_request", {})
                history = self.control("gcnlab_timing_request", {"kind": "history"})
                switch = self.control("gcnlab_timing_request", {"kind": "switch-device", "device": "wasm", "requestId": "t1"})
        self.assertEqual(len(replies), 2, "both cells answered")
        self.assertIsNotNone(usage, f"the control requests were sent while the training cell ran: {replies} {records[-3:]}")

        figures = usage["gcnlab"]
        self.assertGreater(usage["kernel_memory"], 10 * 2**20)
        self.assertGreater(figures["rss"], 10 * 2**20)
        self.assertGreater(figures["heap"]["used"], 2**20)
        self.assertGreater(figures["tensors"]["numTensors"], 0)
        self.assertGreater(figures["tensors"]["numBytes"], 0)

        self.assertEqual(history["status"], "ok")
        kinds = [r["message"]["kind"] for r in history["records"]]
        self.assertEqual(kinds[0], "hello")
        self.assertGreaterEqual(kinds.count("epoch"), 5)
        seqs = [r["seq"] for r in history["records"]]
        self.assertEqual(seqs, list(range(1, len(seqs) + 1)))
        self.assertIsNotNone(history["runningCell"])

        self.assertEqual((switch["status"], switch["when"]), ("ok", "after-cell"))

        # Epochs reached iopub before the training cell's reply; the run carries its peak memory.
        self.assertGreaterEqual(replies[train_id][2], 5)
        run = next(r["message"] for r in records if r["message"]["kind"] == "run")
        self.assertEqual(run["run"]["epochs"], 300)
        self.assertGreater(run["peakMemory"]["tensorBytes"], 0)
        self.assertGreater(run["peakMemory"]["rss"], 10 * 2**20)
        epoch = next(r["message"] for r in records if r["message"]["kind"] == "epoch")
        self.assertIn("memory", epoch)

        # The switch came between the cells: the training cell ran on cpu to its end, the next one on wasm.
        messages = [r["message"] for r in records]
        executions = [m for m in messages if m["kind"] == "execution"]
        self.assertEqual([e["device"] for e in executions[-2:]], ["cpu", "wasm"])
        switched = next(i for i, m in enumerate(messages) if m["kind"] == "device" and m.get("requestId") == "t1")
        self.assertLess(messages.index(executions[-2]), switched)
        self.assertLess(switched, messages.index(executions[-1]))

        # A panel connecting now gets the same records in full, in pages.
        again = self.control("gcnlab_timing_request", {"kind": "history", "limit": 100})
        got = again["records"]
        while again["more"]:
            again = self.control("gcnlab_timing_request", {"kind": "history", "after": got[-1]["seq"], "limit": 100})
            got += again["records"]
        seqs = [r["seq"] for r in got]
        self.assertEqual(seqs, list(range(1, len(seqs) + 1)))
        self.assertLessEqual({r["seq"] for r in records}, set(seqs))
        self.assertEqual(got[0]["message"]["kind"], "hello")

    def test_bad_request_is_named(self):
        reply = self.control("gcnlab_timing_request", {"kind": "nope"})
        self.assertEqual(reply["status"], "error")
        self.assertIn("'history' or 'switch-device'", reply["evalue"])


if __name__ == "__main__":
    unittest.main()
