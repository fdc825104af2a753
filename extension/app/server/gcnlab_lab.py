"""Serves the npm-built JupyterLab 4 app (extension/app/build) with jupyterlab_server, no `jupyterlab` package needed.

Run as `python3 -m gcnlab_lab [jupyter_server options]` with this folder on PYTHONPATH (scripts/start.mjs does).
Prebuilt (federated) extensions are read from $GCNLAB_LABEXTENSIONS_PATH (os.pathsep-separated) and then from
Jupyter's usual `labextensions` data folders; user settings and workspaces from $GCNLAB_LAB_STATE_DIR.
"""
import os

from jupyter_core.paths import jupyter_path
from jupyterlab_server import LabServerApp
from traitlets import default

HERE = os.path.dirname(os.path.abspath(__file__))
BUILD = os.path.join(os.path.dirname(HERE), "build")
TEMPLATES = os.path.join(os.path.dirname(HERE), "templates")


def _paths(variable):
    return [path for path in os.environ.get(variable, "").split(os.pathsep) if path]


# Requests whose status messages JupyterLab leaves out of the kernel's busy/idle (stock JupyterLab takes such a list
# from jupyter_server 2; 1.23 has none): without it, a debug_request answered on the control channel while a cell is
# paused at a breakpoint turns the kernel "Idle" in the status bar. Only control-channel requests that come while a
# cell runs: kernel_info's idle is what marks a (re)started gcnlab kernel ready.
UNTRACKED_MESSAGE_TYPES = ["debug_request", "usage_request", "gcnlab_timing_request"]


class GcnlabLabApp(LabServerApp):
    name = "gcnlab_lab"
    app_name = "JupyterLab (gcnlab)"
    app_url = "/lab"
    default_url = "/lab"
    load_other_extensions = False

    @default("static_dir")
    def _static_dir(self):
        return os.path.join(BUILD, "static")

    @default("templates_dir")
    def _templates_dir(self):
        return TEMPLATES

    @default("schemas_dir")
    def _schemas_dir(self):
        return os.path.join(BUILD, "schemas")

    @default("themes_dir")
    def _themes_dir(self):
        return os.path.join(BUILD, "themes")

    @default("app_settings_dir")
    def _app_settings_dir(self):
        return os.path.join(BUILD, "settings")

    @default("user_settings_dir")
    def _user_settings_dir(self):
        return os.path.join(self._state_dir(), "user-settings")

    @default("workspaces_dir")
    def _workspaces_dir(self):
        return os.path.join(self._state_dir(), "workspaces")

    @default("labextensions_path")
    def _labextensions_path(self):
        return _paths("GCNLAB_LABEXTENSIONS_PATH") + jupyter_path("labextensions")

    def _state_dir(self):
        return os.environ.get("GCNLAB_LAB_STATE_DIR") or os.path.join(os.getcwd(), ".jupyter-local", "lab")

    def initialize_handlers(self):
        page_config = self.serverapp.web_app.settings.setdefault("page_config_data", {})
        page_config.setdefault("untracked_message_types", UNTRACKED_MESSAGE_TYPES)
        super().initialize_handlers()


def _jupyter_server_extension_points():
    return [{"module": "gcnlab_lab", "app": GcnlabLabApp}]


main = GcnlabLabApp.launch_instance

if __name__ == "__main__":
    main()
