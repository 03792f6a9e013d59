; Inno Setup script: the Windows installer for circlekeeper.
;   python packaging\build.py --no-archive           (makes dist\circlekeeper\)
;   iscc /DAppVersion=X.Y.Z packaging\windows\circlekeeper.iss
; gives dist\circlekeeper-X.Y.Z-windows-setup.exe. The CI workflow passes the version read
; from pyproject.toml (packaging/bundle_data.py), so it is written in one place only.
;
; Installs per machine into Program Files (IT staff push it with /VERYSILENT /NORESTART), or
; per user when run without administrator rights. Updating is running the new installer: the
; same AppId replaces the program. The records are in each user's %LOCALAPPDATA%\circlekeeper
; and the uninstaller leaves them there.

#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=X.Y.Z circlekeeper.iss
#endif
#define AppName "circlekeeper"
#define Dist "..\..\dist"

[Setup]
AppId={{6F3C2B9E-2D4A-4C1B-9E7A-3A1D5C8B0F42}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher=The circlekeeper project
AppComments=Restorative circles and conferences for schools
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=admin
PrivilegesRequiredOverridesAllowed=dialog commandline
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir={#Dist}
OutputBaseFilename={#AppName}-{#AppVersion}-windows-setup
; Written by the spec (bundle_data.write_ico) from the committed PNGs.
SetupIconFile=..\..\build\circlekeeper.ico
UninstallDisplayIcon={app}\circlekeeper.exe
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
CloseApplications=yes
; Signing is added by the release machine that holds the certificate:
; SignTool=signtool sign /fd sha256 /tr http://timestamp.example /td sha256 $f

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"
Name: "spanish"; MessagesFile: "compiler:Languages\Spanish.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#Dist}\circlekeeper\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; A new version's files replace the old ones whole: nothing of an older build is left to load.
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\circlekeeper.exe"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\circlekeeper.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\circlekeeper.exe"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
