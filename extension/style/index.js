// The extension's styles, as a module for JupyterLab's builder.
import './index.css';
