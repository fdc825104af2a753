// gcnlab's JupyterLab extension: the device-timing panel, its commands, menu entry and status bar item.
// (The plotly MIME renderer is the package's mimeExtension, in mime.ts.)
import { ILayoutRestorer, type JupyterFrontEnd, type JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { IMainMenu } from '@jupyterlab/mainmenu';
import { INotebookTracker } from '@jupyterlab/notebook';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { IStatusBar } from '@jupyterlab/statusbar';
import { LabIcon } from '@jupyterlab/ui-components';
import timingSvg from '../style/icons/timing.svg';
import { TimingPanel } from './panel/panel';
import { DEFAULT_SETTINGS, type PanelSettings } from './panel/settings';
import { DeviceStatus } from './status';
import { TimingTracker } from './timing/tracker';

const PLUGIN_ID = 'gcnlab-jupyterlab:plugin';

export const CommandIDs = {
  open: 'gcnlab:open-timing-panel',
  exportCsv: 'gcnlab:export-runs-csv',
  exportJson: 'gcnlab:export-runs-json',
  switchDevice: 'gcnlab:switch-device',
} as const;

export const timingIcon = new LabIcon({ name: 'gcnlab:timing', svgstr: timingSvg });

const plugin: JupyterFrontEndPlugin<void> = {
  id: PLUGIN_ID,
  description: 'A right-sidebar panel with the gcnlab kernel devices, live epoch timings, runs and the article comparison.',
  autoStart: true,
  requires: [INotebookTracker],
  optional: [ICommandPalette, IMainMenu, IStatusBar, ISettingRegistry, ILayoutRestorer],
  activate: (
    app: JupyterFrontEnd,
    notebooks: INotebookTracker,
    palette: ICommandPalette | null,
    mainMenu: IMainMenu | null,
    statusBar: IStatusBar | null,
    settingRegistry: ISettingRegistry | null,
    restorer: ILayoutRestorer | null,
  ) => {
    const tracker = new TimingTracker(notebooks);
    let settings: ISettingRegistry.ISettings | null = null;
    const panel = new TimingPanel(tracker, (key, value) => void settings?.set(key, value as never));
    panel.title.icon = timingIcon;
    app.shell.add(panel, 'right', { rank: 900 });
    restorer?.add(panel, panel.id);

    const { commands } = app;
    commands.addCommand(CommandIDs.open, {
      label: 'Device Timing Panel',
      caption: 'Show the gcnlab kernel devices and how long each epoch takes on them',
      icon: timingIcon,
      execute: () => {
        app.shell.activateById(panel.id);
        requestAnimationFrame(() => panel.widen());
      },
    });
    const hasRuns = () => panel.allRuns().length > 0;
    commands.addCommand(CommandIDs.exportCsv, {
      label: 'Export gcnlab Runs as CSV',
      isEnabled: hasRuns,
      execute: () => panel.exportRuns('csv'),
    });
    commands.addCommand(CommandIDs.exportJson, {
      label: 'Export gcnlab Runs as JSON',
      isEnabled: hasRuns,
      execute: () => panel.exportRuns('json'),
    });
    commands.addCommand(CommandIDs.switchDevice, {
      label: (args) => `Switch gcnlab Device to ${String(args.device ?? '…')}`,
      isEnabled: (args) => tracker.active.kind === 'gcnlab' && typeof args.device === 'string',
      execute: (args) => {
        const active = tracker.active;
        if (active.kind === 'gcnlab') void active.connection.switchDevice(String(args.device));
      },
    });
    for (const command of [CommandIDs.open, CommandIDs.exportCsv, CommandIDs.exportJson]) {
      palette?.addItem({ command, category: 'gcnlab' });
    }
    mainMenu?.viewMenu.addGroup([{ command: CommandIDs.open }], 100);

    if (statusBar) {
      const status = new DeviceStatus(tracker, () => void commands.execute(CommandIDs.open));
      statusBar.registerStatusItem('gcnlab-jupyterlab:status', {
        item: status,
        align: 'left',
        rank: 4,
        isActive: () => status.isActive,
        activeStateChanged: status.activeStateChanged,
      });
    }

    panel.configure({ ...DEFAULT_SETTINGS });
    if (settingRegistry) {
      void settingRegistry.load(PLUGIN_ID).then((loaded) => {
        settings = loaded;
        const apply = () => panel.configure({ ...DEFAULT_SETTINGS, ...(loaded.composite as Partial<PanelSettings>) });
        loaded.changed.connect(apply);
        apply();
      }, (error: unknown) => console.error(`gcnlab: could not load the settings of ${PLUGIN_ID}:`, error));
    }
  },
};

export default plugin;
