<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es">
    <context>
        <name>ActivityPage</name>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/activity_page.py" />
            <source>Activity type</source>
            <translation>Tipo de actividad</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/activity_page.py" />
            <source>Role it is counted under</source>
            <translation>Función en la que se cuenta</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/activity_page.py" />
            <source> min</source>
            <translation> min</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/activity_page.py" />
            <source>Minutes</source>
            <translation>Minutos</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/activity_page.py" />
            <source>Place</source>
            <translation>Lugar</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/activity_page.py" />
            <source>Room, gym, community centre…</source>
            <translation>Salón, gimnasio, centro comunitario…</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/activity_page.py" />
            <source>not counted</source>
            <translation>no se cuenta</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/activity_page.py" />
            <source>People attending (events)</source>
            <translation>Asistentes (eventos)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/activity_page.py" />
            <source>Date of the activity</source>
            <translation>Fecha de la actividad</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/activity_page.py" />
            <source>Incident type (citations and arrests)</source>
            <translation>Tipo de incidente (citaciones y arrestos)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/activity_page.py" />
            <source>Student this activity is about</source>
            <translation>Estudiante al que se refiere la actividad</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/activity_page.py" />
            <source>Student…</source>
            <translation>Estudiante…</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/activity_page.py" />
            <source>Choose the student this is about</source>
            <translation>Elegir a la persona estudiante a la que se refiere</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/activity_page.py" />
            <source>No student</source>
            <translation>Sin estudiante</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/activity_page.py" />
            <source>Remove the student link</source>
            <translation>Quitar el vínculo con la persona estudiante</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/activity_page.py" />
            <source>Save (Ctrl+Enter)</source>
            <translation>Guardar (Ctrl+Intro)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/activity_page.py" />
            <source>Save the activity</source>
            <translation>Guardar la actividad</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/activity_page.py" />
            <source>New entry</source>
            <translation>Nueva entrada</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/activity_page.py" />
            <source>Clear the form for a new entry</source>
            <translation>Vaciar el formulario para una nueva entrada</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/activity_page.py" />
            <source>Activity log message</source>
            <translation>Mensaje del registro de actividades</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/activity_page.py" />
            <source>&amp;Type</source>
            <translation>Tipo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/activity_page.py" />
            <source>&amp;Minutes</source>
            <translation>&amp;Minutos</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/activity_page.py" />
            <source>&amp;Place</source>
            <translation>Luga&amp;r</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/activity_page.py" />
            <source>&amp;Attending</source>
            <translation>&amp;Asistentes</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/activity_page.py" />
            <source>&amp;Date</source>
            <translation>Fe&amp;cha</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/activity_page.py" />
            <source>&amp;Role</source>
            <translation>&amp;Función</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/activity_page.py" />
            <source>&amp;Incident</source>
            <translation>&amp;Incidente</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/activity_page.py" />
            <source>Logged activities</source>
            <translation>Actividades registradas</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/activity_page.py" />
            <source>Date</source>
            <translation>Fecha</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/activity_page.py" />
            <source>Type</source>
            <translation>Tipo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/activity_page.py" />
            <source>Role</source>
            <translation>Función</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/activity_page.py" />
            <source>Attending</source>
            <translation>Asistentes</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/activity_page.py" />
            <source>Student</source>
            <translation>Estudiante</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/activity_page.py" />
            <source>Logged by</source>
            <translation>Registrado por</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/activity_page.py" />
            <source>Hours by role</source>
            <translation>Horas por función</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/activity_page.py" />
            <source>Activity log</source>
            <translation>Registro de actividades</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/activity_page.py" />
            <source>One line per activity. Link a student only when the activity was about that one student. An officer sees only their own entries.</source>
            <translation>Una línea por actividad. Vincule a una persona estudiante solo cuando la actividad trató de esa persona. Cada oficial ve solo sus propias entradas.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/activity_page.py" />
            <source>—</source>
            <translation>—</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/activity_page.py" />
            <source>no student</source>
            <translation>sin estudiante</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/activity_page.py" />
            <source>The student this activity was about</source>
            <translation>La persona estudiante de la que trató esta actividad</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/activity_page.py" />
            <source>Saved: {type}, {minutes} minutes.</source>
            <translation>Guardado: {type}, {minutes} minutos.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/activity_page.py" />
            <source>Corrected: {type}, {minutes} minutes.</source>
            <translation>Corregido: {type}, {minutes} minutos.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/activity_page.py" />
            <source>This school year (since {day}): </source>
            <translation>Este año escolar (desde el {day}): </translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/activity_page.py" />
            <source>{role}: {hours} h</source>
            <translation>{role}: {hours} h</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/activity_page.py" />
            <source>This entry was logged by {name}; only they or an administrator can correct it.</source>
            <translation>Esta entrada la registró {name}; solo esa persona o un/a administrador/a puede corregirla.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/activity_page.py" />
            <source>Correcting the entry of {day}</source>
            <translation>Corrigiendo la entrada del {day}</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/activity_page.py" />
            <source>Remove this entry?</source>
            <translation>¿Quitar esta entrada?</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/activity_page.py" />
            <source>Remove the {type} of {day} from the log? This cannot be undone.</source>
            <translation>¿Quitar del registro la actividad «{type}» del {day}? Esto no se puede deshacer.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/activity_page.py" />
            <source>The entry was removed.</source>
            <translation>Se quitó la entrada.</translation>
        </message>
    </context>
    <context>
        <name>AddressedTo</name>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/labels.py" />
            <source>Everyone</source>
            <translation>Todas las personas</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/labels.py" />
            <source>The person responsible</source>
            <translation>La persona responsable</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/labels.py" />
            <source>The harmed person</source>
            <translation>La persona afectada</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/labels.py" />
            <source>Supporters of the person responsible</source>
            <translation>Personas de apoyo de la persona responsable</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/labels.py" />
            <source>Supporters of the harmed person</source>
            <translation>Personas de apoyo de la persona afectada</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/labels.py" />
            <source>Others affected</source>
            <translation>Otras personas afectadas</translation>
        </message>
    </context>
    <context>
        <name>AgreementBuilder</name>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/builder.py" />
            <source>Repair agreement</source>
            <translation>Acuerdo de reparación</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/builder.py" />
            <source>Repair agreement — {circle}</source>
            <translation>Acuerdo de reparación — {circle}</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/builder.py" />
            <source>Agreement status</source>
            <translation>Estado del acuerdo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/builder.py" />
            <source>Problem</source>
            <translation>Problema</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/builder.py" />
            <source>Last change</source>
            <translation>Último cambio</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/builder.py" />
            <source>Signatures (on paper)</source>
            <translation>Firmas (en papel)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/builder.py" />
            <source>Print the agreement, have everyone sign it, then tick each person who signed and the date they signed.</source>
            <translation>Imprima el acuerdo, pida a cada persona que lo firme y después marque quién firmó y la fecha en que lo hizo.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/builder.py" />
            <source>Close the agreement builder</source>
            <translation>Cerrar el editor del acuerdo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/builder.py" />
            <source>What happened and what follows</source>
            <translation>Lo que pasó y lo que sigue</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/builder.py" />
            <source>Short description of the harm</source>
            <translation>Breve descripción del daño</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/builder.py" />
            <source>In a few neutral sentences: what happened and who was affected.</source>
            <translation>En unas pocas frases neutrales: qué pasó y a quién afectó.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/builder.py" />
            <source>What happens if it is not kept</source>
            <translation>Qué pasa si no se cumple</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/builder.py" />
            <source>For example: we meet again, or the original consequence applies.</source>
            <translation>Por ejemplo: nos volvemos a reunir, o se aplica la consecuencia original.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/builder.py" />
            <source>On</source>
            <translation>El</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/builder.py" />
            <source>There is a follow-up date</source>
            <translation>Hay una fecha de seguimiento</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/builder.py" />
            <source>Follow-up date</source>
            <translation>Fecha de seguimiento</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/builder.py" />
            <source>— choose an adult —</source>
            <translation>— elija a una persona adulta —</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/builder.py" />
            <source>Adult who follows up</source>
            <translation>Persona adulta que da seguimiento</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/builder.py" />
            <source>b&amp;y:</source>
            <translation>p&amp;or:</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/builder.py" />
            <source>The &amp;harm:</source>
            <translation>El &amp;daño:</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/builder.py" />
            <source>If it is &amp;not kept:</source>
            <translation>Si &amp;no se cumple:</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/builder.py" />
            <source>&amp;Follow-up:</source>
            <translation>&amp;Seguimiento:</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/builder.py" />
            <source>Items: what will be done</source>
            <translation>Compromisos: lo que se hará</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/builder.py" />
            <source>Agreement items</source>
            <translation>Compromisos del acuerdo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/builder.py" />
            <source>Language of typical items</source>
            <translation>Idioma de los compromisos habituales</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/builder.py" />
            <source>Typical items</source>
            <translation>Compromisos habituales</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/builder.py" />
            <source>Add &amp;typical item…</source>
            <translation>Añad&amp;ir habitual…</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/builder.py" />
            <source>Add the chosen typical item</source>
            <translation>Añadir el compromiso habitual elegido</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/builder.py" />
            <source>Add &amp;blank item…</source>
            <translation>Añadir compromiso en &amp;blanco…</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/builder.py" />
            <source>Add a blank item</source>
            <translation>Añadir un compromiso en blanco</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/builder.py" />
            <source>&amp;Edit…</source>
            <translation>&amp;Editar…</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/builder.py" />
            <source>Edit the selected item</source>
            <translation>Editar el compromiso seleccionado</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/builder.py" />
            <source>Re&amp;move</source>
            <translation>&amp;Quitar</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/builder.py" />
            <source>Remove the selected item</source>
            <translation>Quitar el compromiso seleccionado</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/builder.py" />
            <source>Move &amp;up</source>
            <translation>S&amp;ubir</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/builder.py" />
            <source>Move the item up</source>
            <translation>Subir el compromiso</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/builder.py" />
            <source>Move do&amp;wn</source>
            <translation>Ba&amp;jar</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/builder.py" />
            <source>Move the item down</source>
            <translation>Bajar el compromiso</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/builder.py" />
            <source>Typical item&amp;s:</source>
            <translation>Habitua&amp;les:</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/builder.py" />
            <source>Make it active</source>
            <translation>Ponerlo en vigor</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/builder.py" />
            <source>What is still needed</source>
            <translation>Lo que aún falta</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/builder.py" />
            <source>&amp;Activate (signed)</source>
            <translation>&amp;Poner en vigor (firmado)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/builder.py" />
            <source>Activate the signed agreement</source>
            <translation>Poner en vigor el acuerdo firmado</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/builder.py" />
            <source>Once everyone has signed on paper: the text is then fixed and follow-ups are scheduled.</source>
            <translation>Cuando todas las personas hayan firmado en papel: el texto queda fijo y se programan los seguimientos.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/builder.py" />
            <source>#</source>
            <translation>#</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/builder.py" />
            <source>What will be done</source>
            <translation>Lo que se hará</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/builder.py" />
            <source>Who</source>
            <translation>Quién</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/builder.py" />
            <source>By when</source>
            <translation>Para cuándo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/builder.py" />
            <source>How checked</source>
            <translation>Cómo se verifica</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/builder.py" />
            <source>Add at least one item.</source>
            <translation>Añada al menos un compromiso.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/builder.py" />
            <source>Choose who does item {numbers}.</source>
            <translation>Elija quién cumple el compromiso {numbers}.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/builder.py" />
            <source>Fill in the [words] highlighted in item {numbers}.</source>
            <translation>Complete las [palabras] resaltadas del compromiso {numbers}.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/builder.py" />
            <source>Tick who signed the paper agreement.</source>
            <translation>Marque quién firmó el acuerdo en papel.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/builder.py" />
            <source>{status} · version {version} · {count} items</source>
            <translation>{status} · versión {version} · {count} compromisos</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/builder.py" />
            <source> · agreed on {day}</source>
            <translation> · acordado el {day}</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/builder.py" />
            <source>This agreement is no longer a draft; its text cannot be changed.</source>
            <translation>Este acuerdo ya no es un borrador; su texto no se puede cambiar.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/builder.py" />
            <source>Before it can be made active:</source>
            <translation>Antes de ponerlo en vigor:</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/builder.py" />
            <source>Everything needed is there. Activate it once everyone has signed.</source>
            <translation>Está todo lo necesario. Póngalo en vigor cuando todas las personas hayan firmado.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/builder.py" />
            <source>(empty)</source>
            <translation>(vacío)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/builder.py" />
            <source>Add: {title}</source>
            <translation>Añadir: {title}</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/builder.py" />
            <source>Add an item</source>
            <translation>Añadir un compromiso</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/builder.py" />
            <source>Edit item {number}</source>
            <translation>Editar el compromiso {number}</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/builder.py" />
            <source>Added item {number}.</source>
            <translation>Se añadió el compromiso {number}.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/builder.py" />
            <source>Saved item {number}.</source>
            <translation>Se guardó el compromiso {number}.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/builder.py" />
            <source>Removed item {number}.</source>
            <translation>Se quitó el compromiso {number}.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/builder.py" />
            <source>The agreement is active from {day}. {count} follow-up checks were scheduled.</source>
            <translation>El acuerdo está en vigor desde el {day}. Se programaron {count} revisiones de seguimiento.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/builder.py" />
            <source>A guardian's signature is still missing for {names}; it can be recorded later.</source>
            <translation>Todavía falta la firma de un/a tutor/a de {names}; se puede registrar más tarde.</translation>
        </message>
        <message>
            <source>Print or save</source>
            <translation type="vanished">Imprimir o guardar</translation>
        </message>
        <message>
            <source>T&amp;ypical items:</source>
            <translation type="vanished">Ha&amp;bituales:</translation>
        </message>
    </context>
    <context>
        <name>AgreementMonitor</name>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/monitor.py" />
            <source>Repair agreement — follow-up</source>
            <translation>Acuerdo de reparación — seguimiento</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/monitor.py" />
            <source>Repair agreement — {circle}</source>
            <translation>Acuerdo de reparación — {circle}</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/monitor.py" />
            <source>Repair agreement</source>
            <translation>Acuerdo de reparación</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/monitor.py" />
            <source>Agreement status</source>
            <translation>Estado del acuerdo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/monitor.py" />
            <source>Problem</source>
            <translation>Problema</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/monitor.py" />
            <source>Last change</source>
            <translation>Último cambio</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/monitor.py" />
            <source>Items</source>
            <translation>Compromisos</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/monitor.py" />
            <source>Agreement items</source>
            <translation>Compromisos del acuerdo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/monitor.py" />
            <source>Date the item was done</source>
            <translation>Fecha en que se cumplió el compromiso</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/monitor.py" />
            <source>Note about how it was done</source>
            <translation>Nota sobre cómo se cumplió</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/monitor.py" />
            <source>Optional, e.g. “Librarian signed the log”</source>
            <translation>Opcional, p. ej. «La bibliotecaria firmó el registro»</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/monitor.py" />
            <source>&amp;Tick off as done</source>
            <translation>&amp;Marcar como cumplido</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/monitor.py" />
            <source>Tick off the selected item as done</source>
            <translation>Marcar el compromiso seleccionado como cumplido</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/monitor.py" />
            <source>R&amp;eopen</source>
            <translation>Rea&amp;brir</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/monitor.py" />
            <source>Take the tick off the selected item</source>
            <translation>Desmarcar el compromiso seleccionado</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/monitor.py" />
            <source>&amp;Done on:</source>
            <translation>Cumplido &amp;el:</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/monitor.py" />
            <source>Note:</source>
            <translation>Nota:</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/monitor.py" />
            <source>Closing or renegotiating</source>
            <translation>Cierre o renegociación</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/monitor.py" />
            <source>How it ended</source>
            <translation>Cómo terminó</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/monitor.py" />
            <source>Date it was closed</source>
            <translation>Fecha de cierre</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/monitor.py" />
            <source>Note on closing</source>
            <translation>Nota de cierre</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/monitor.py" />
            <source>Optional: what the review found</source>
            <translation>Opcional: lo que encontró la revisión</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/monitor.py" />
            <source>&amp;Close agreement…</source>
            <translation>&amp;Cerrar acuerdo…</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/monitor.py" />
            <source>Close the agreement with this outcome</source>
            <translation>Cerrar el acuerdo con este resultado</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/monitor.py" />
            <source>Re&amp;negotiate…</source>
            <translation>Re&amp;negociar…</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/monitor.py" />
            <source>Renegotiate: start a new version</source>
            <translation>Renegociar: iniciar una nueva versión</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/monitor.py" />
            <source>O&amp;utcome:</source>
            <translation>&amp;Resultado:</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/monitor.py" />
            <source>On:</source>
            <translation>El:</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/monitor.py" />
            <source>Renegotiating keeps this version, signed, in the history and starts a new draft with the same items (ticked items stay ticked); it is signed afresh.</source>
            <translation>Al renegociar, esta versión se conserva firmada en el historial y se inicia un nuevo borrador con los mismos compromisos (los cumplidos siguen marcados); se vuelve a firmar.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/monitor.py" />
            <source>Signatures (on paper)</source>
            <translation>Firmas (en papel)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/monitor.py" />
            <source>History</source>
            <translation>Historial</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/monitor.py" />
            <source>Versions of this agreement</source>
            <translation>Versiones de este acuerdo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/monitor.py" />
            <source>Changes to this agreement</source>
            <translation>Cambios en este acuerdo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/monitor.py" />
            <source>When</source>
            <translation>Cuándo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/monitor.py" />
            <source>v.</source>
            <translation>v.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/monitor.py" />
            <source>What</source>
            <translation>Qué</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/monitor.py" />
            <source>Details</source>
            <translation>Detalles</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/monitor.py" />
            <source>Change columns</source>
            <translation>Columnas de cambios</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/monitor.py" />
            <source>Close this window</source>
            <translation>Cerrar esta ventana</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/monitor.py" />
            <source>#</source>
            <translation>#</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/monitor.py" />
            <source>What will be done</source>
            <translation>Lo que se hará</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/monitor.py" />
            <source>Who</source>
            <translation>Quién</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/monitor.py" />
            <source>By when</source>
            <translation>Para cuándo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/monitor.py" />
            <source>How checked</source>
            <translation>Cómo se verifica</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/monitor.py" />
            <source>Done</source>
            <translation>Cumplido</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/monitor.py" />
            <source>✓ {day}</source>
            <translation>✓ {day}</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/monitor.py" />
            <source>Overdue</source>
            <translation>Vencido</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/monitor.py" />
            <source>Open</source>
            <translation>Abierto</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/monitor.py" />
            <source>Version {version}: {status}</source>
            <translation>Versión {version}: {status}</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/monitor.py" />
            <source>, agreed on {day}</source>
            <translation>, acordado el {day}</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/monitor.py" />
            <source> (this one)</source>
            <translation> (esta)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/monitor.py" />
            <source>{status} · version {version} · {done} of {total} items done</source>
            <translation>{status} · versión {version} · {done} de {total} compromisos cumplidos</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/monitor.py" />
            <source> · agreed on {day}</source>
            <translation> · acordado el {day}</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/monitor.py" />
            <source> · closed on {day}</source>
            <translation> · cerrado el {day}</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/monitor.py" />
            <source>Choose an item in the list first.</source>
            <translation>Primero elija un compromiso de la lista.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/monitor.py" />
            <source>Ticked off item {number} as done on {day}.</source>
            <translation>Se marcó el compromiso {number} como cumplido el {day}.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/monitor.py" />
            <source>Item {number} is open again.</source>
            <translation>El compromiso {number} vuelve a estar abierto.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/monitor.py" />
            <source>Close the agreement?</source>
            <translation>¿Cerrar el acuerdo?</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/monitor.py" />
            <source>Close this agreement as “{outcome}”? Its open follow-ups are cancelled and it can no longer be ticked off. You can still renegotiate it later if it was not fully kept.</source>
            <translation>¿Cerrar este acuerdo como «{outcome}»? Se cancelan sus seguimientos abiertos y ya no se podrán marcar compromisos. Si no se cumplió del todo, todavía puede renegociarlo más adelante.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/monitor.py" />
            <source>Closed as {outcome}.</source>
            <translation>Cerrado como {outcome}.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/monitor.py" />
            <source>Renegotiate the agreement?</source>
            <translation>¿Renegociar el acuerdo?</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/monitor.py" />
            <source>Start version {version} as a new draft? This version stays in the history as it was signed; the new one is edited and signed afresh.</source>
            <translation>¿Iniciar la versión {version} como un nuevo borrador? Esta versión se queda en el historial tal como se firmó; la nueva se edita y se firma de nuevo.</translation>
        </message>
        <message>
            <source>Print or save</source>
            <translation type="vanished">Imprimir o guardar</translation>
        </message>
        <message>
            <source>Re&amp;open</source>
            <translation type="vanished">&amp;Reabrir</translation>
        </message>
        <message>
            <source>Done &amp;on:</source>
            <translation type="vanished">Cumplido &amp;el:</translation>
        </message>
        <message>
            <source>No&amp;te:</source>
            <translation type="vanished">No&amp;ta:</translation>
        </message>
    </context>
    <context>
        <name>AgreementStatus</name>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/labels.py" />
            <source>Draft</source>
            <translation>Borrador</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/labels.py" />
            <source>Active (signed)</source>
            <translation>En vigor (firmado)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/labels.py" />
            <source>Completed</source>
            <translation>Cumplido</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/labels.py" />
            <source>Partially completed</source>
            <translation>Cumplido en parte</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/labels.py" />
            <source>Not completed</source>
            <translation>No cumplido</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/labels.py" />
            <source>Replaced by a newer version</source>
            <translation>Sustituido por una versión más reciente</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/common.py" />
            <source>In force</source>
            <translation>En vigor</translation>
        </message>
    </context>
    <context>
        <name>Agreements</name>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/blanks.py" />
            <source>Still to fill in: {blanks}</source>
            <translation>Falta completar: {blanks}</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/item_dialog.py" />
            <source>The records could not be read or saved just now. Nothing already saved was lost. Try again; if it keeps happening, restart circlekeeper.</source>
            <translation>No se pudieron leer ni guardar los registros en este momento. No se perdió nada de lo ya guardado. Inténtelo de nuevo; si sigue pasando, reinicie circlekeeper.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/item_table.py" />
            <source>supported by {name}</source>
            <translation>con el apoyo de {name}</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/item_table.py" />
            <source>Item columns</source>
            <translation>Columnas de compromisos</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/monitor.py" />
            <source>Started the draft</source>
            <translation>Se inició el borrador</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/monitor.py" />
            <source>Changed the header</source>
            <translation>Se cambió el encabezado</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/monitor.py" />
            <source>Added an item</source>
            <translation>Se añadió un compromiso</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/monitor.py" />
            <source>Edited an item</source>
            <translation>Se editó un compromiso</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/monitor.py" />
            <source>Removed an item</source>
            <translation>Se quitó un compromiso</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/monitor.py" />
            <source>Reordered the items</source>
            <translation>Se reordenaron los compromisos</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/monitor.py" />
            <source>Recorded a signature</source>
            <translation>Se registró una firma</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/monitor.py" />
            <source>Removed a signature</source>
            <translation>Se quitó una firma</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/monitor.py" />
            <source>Made active (signed)</source>
            <translation>Se puso en vigor (firmado)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/monitor.py" />
            <source>Ticked an item off</source>
            <translation>Se marcó un compromiso como cumplido</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/monitor.py" />
            <source>Took the tick off an item</source>
            <translation>Se desmarcó un compromiso</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/monitor.py" />
            <source>Closed the agreement</source>
            <translation>Se cerró el acuerdo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/monitor.py" />
            <source>Replaced by a renegotiated version</source>
            <translation>Sustituido por una versión renegociada</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/monitor.py" />
            <source>Renegotiated: new version started</source>
            <translation>Renegociado: se inició una nueva versión</translation>
        </message>
    </context>
    <context>
        <name>AgreementsArea</name>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/area.py" />
            <source>Agreements</source>
            <translation>Acuerdos</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/area.py" />
            <source>Show &amp;earlier versions</source>
            <translation>Mostrar versiones &amp;anteriores</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/area.py" />
            <source>Show earlier, replaced versions</source>
            <translation>Mostrar las versiones anteriores, ya sustituidas</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/area.py" />
            <source>A person's name, a case number, an incident type or a circle</source>
            <translation>Nombre de una persona, número de caso, tipo de incidente o círculo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/area.py" />
            <source>Newest agreement first</source>
            <translation>Acuerdos más recientes primero</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/area.py" />
            <source>Search agreements</source>
            <translation>Buscar acuerdos</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/area.py" />
            <source>Show agreements with this status</source>
            <translation>Mostrar los acuerdos en este estado</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/area.py" />
            <source>Every status</source>
            <translation>Todos los estados</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/area.py" />
            <source>Agreements list</source>
            <translation>Lista de acuerdos</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/area.py" />
            <source>Circle</source>
            <translation>Círculo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/area.py" />
            <source>Version</source>
            <translation>Versión</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/area.py" />
            <source>Status</source>
            <translation>Estado</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/area.py" />
            <source>Parties</source>
            <translation>Partes</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/area.py" />
            <source>Items done</source>
            <translation>Cumplidos</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/area.py" />
            <source>Due / overdue</source>
            <translation>Pendientes</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/area.py" />
            <source>Follow-up</source>
            <translation>Seguimiento</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/area.py" />
            <source>Agreement columns</source>
            <translation>Columnas de acuerdos</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/area.py" />
            <source>&amp;Open…</source>
            <translation>A&amp;brir…</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/area.py" />
            <source>Open the selected agreement</source>
            <translation>Abrir el acuerdo seleccionado</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/area.py" />
            <source>&amp;New agreement for circle…</source>
            <translation>&amp;Nuevo acuerdo para un círculo…</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/area.py" />
            <source>New agreement for a circle</source>
            <translation>Nuevo acuerdo para un círculo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/area.py" />
            <source>How many agreements are listed</source>
            <translation>Cuántos acuerdos aparecen en la lista</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/area.py" />
            <source>Last change</source>
            <translation>Último cambio</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/area.py" />
            <source>Stat&amp;us:</source>
            <translation>Es&amp;tado:</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/area.py" />
            <source>{count} overdue</source>
            <translation>{count} con retraso</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/area.py" />
            <source>{count} due</source>
            <translation>{count} por cumplir</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/area.py" />
            <source>none open</source>
            <translation>ninguno abierto</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/area.py" />
            <source>Case agreement</source>
            <translation>Acuerdo del caso</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/area.py" />
            <source>{done} of {total}</source>
            <translation>{done} de {total}</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/area.py" />
            <source>1 agreement</source>
            <translation>1 acuerdo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/area.py" />
            <source>{count} agreements</source>
            <translation>{count} acuerdos</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/area.py" />
            <source>The newest {shown} of {total} agreements</source>
            <translation>Los {shown} acuerdos más recientes de {total}</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/area.py" />
            <source>That circle already has an agreement; it is open now.</source>
            <translation>Ese círculo ya tiene un acuerdo; ahora está abierto.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/area.py" />
            <source>Started a draft agreement.</source>
            <translation>Se inició un borrador de acuerdo.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/area.py" />
            <source>The records could not be read just now. Nothing already saved was lost. Try again; if it keeps happening, restart circlekeeper.</source>
            <translation>No se pudieron leer los registros en este momento. No se perdió nada de lo ya guardado. Inténtelo de nuevo; si sigue pasando, reinicie circlekeeper.</translation>
        </message>
    </context>
    <context>
        <name>ApprovalDialog</name>
        <message>
            <location filename="../../src/circlekeeper/ui/profile_approval.py" />
            <source>Approve a change to the profiles</source>
            <translation>Aprobar un cambio en los perfiles</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/profile_approval.py" />
            <source>Changing who uses circlekeeper, their role or their PIN needs the PIN of a counselor or an administrator. A school resource officer's PIN cannot approve it.</source>
            <translation>Para cambiar quién usa circlekeeper, su papel o su PIN hace falta el PIN de un/a consejero/a o de un/a administrador/a. El PIN de un/a oficial de recursos escolares no sirve para aprobarlo.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/profile_approval.py" />
            <source>Whose PIN</source>
            <translation>De quién es el PIN</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/profile_approval.py" />
            <source>PIN of the counselor or administrator</source>
            <translation>PIN del/de la consejero/a o administrador/a</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/profile_approval.py" />
            <source>Message</source>
            <translation>Mensaje</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/profile_approval.py" />
            <source>&amp;Approve</source>
            <translation>&amp;Aprobar</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/profile_approval.py" />
            <source>Approve the change</source>
            <translation>Aprobar el cambio</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/profile_approval.py" />
            <source>Cancel the change</source>
            <translation>Cancelar el cambio</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/profile_approval.py" />
            <source>&amp;Counselor or administrator</source>
            <translation>&amp;Consejero/a o administrador/a</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/profile_approval.py" />
            <source>&amp;PIN</source>
            <translation>&amp;PIN</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/profile_approval.py" />
            <source>Choose whose PIN this is.</source>
            <translation>Elija de quién es este PIN.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/profile_approval.py" />
            <source>The PIN could not be checked just now. Try again.</source>
            <translation>No se pudo comprobar el PIN en este momento. Inténtelo de nuevo.</translation>
        </message>
    </context>
    <context>
        <name>Attendance</name>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/labels.py" />
            <source>Invited</source>
            <translation>Invitado/a</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/labels.py" />
            <source>Present</source>
            <translation>Presente</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/labels.py" />
            <source>Absent</source>
            <translation>Ausente</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/labels.py" />
            <source>Joined late</source>
            <translation>Se unió tarde</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/labels.py" />
            <source>Left early</source>
            <translation>Se fue antes</translation>
        </message>
    </context>
    <context>
        <name>Audience</name>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/labels.py" />
            <source>School copy (counseling office file)</source>
            <translation>Copia de la escuela (expediente de la oficina de consejería)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/labels.py" />
            <source>Copy for sharing outside the counseling office (e.g. an SRO)</source>
            <translation>Copia para compartir fuera de la oficina de consejería (p. ej., con un SRO)</translation>
        </message>
    </context>
    <context>
        <name>BringBackDialog</name>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/handoffs.py" />
            <source>Bring the case back</source>
            <translation>Retomar el caso</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/handoffs.py" />
            <source>Date it came back</source>
            <translation>Fecha de regreso</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/handoffs.py" />
            <source>Note on the return</source>
            <translation>Nota sobre el regreso</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/handoffs.py" />
            <source>Plan a &amp;re-entry circle</source>
            <translation>Planificar un círculo de &amp;reintegración</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/handoffs.py" />
            <source>Plan a re-entry circle</source>
            <translation>Planificar un círculo de reintegración</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/handoffs.py" />
            <source>When the re-entry circle is held</source>
            <translation>Cuándo se realiza el círculo de reintegración</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/handoffs.py" />
            <source>Return problem</source>
            <translation>Problema con el regreso</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/handoffs.py" />
            <source>Came back &amp;on</source>
            <translation>Regresó &amp;el</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/handoffs.py" />
            <source>&amp;Note</source>
            <translation>&amp;Nota</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/handoffs.py" />
            <source>Re-entry circle &amp;at</source>
            <translation>Círculo de reintegración &amp;el</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/handoffs.py" />
            <source>&amp;Bring back</source>
            <translation>&amp;Retomar</translation>
        </message>
    </context>
    <context>
        <name>CasePage</name>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/page.py" />
            <source>Case page</source>
            <translation>Página del caso</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/page.py" />
            <source>← &amp;All cases</source>
            <translation>← &amp;Todos los casos</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/page.py" />
            <source>Back to the list of cases</source>
            <translation>Volver a la lista de casos</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/page.py" />
            <source>Referral</source>
            <translation>Remisión</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/page.py" />
            <source>Pipeline</source>
            <translation>Proceso</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/page.py" />
            <source>Close &amp;case…</source>
            <translation>Cerrar &amp;caso…</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/page.py" />
            <source>Close the case with a reason</source>
            <translation>Cerrar el caso con un motivo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/page.py" />
            <source>Chan&amp;ges…</source>
            <translation>Cam&amp;bios…</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/page.py" />
            <source>Every saved change to this case</source>
            <translation>Todos los cambios guardados de este caso</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/page.py" />
            <source>Last change</source>
            <translation>Último cambio</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/page.py" />
            <source>People involved</source>
            <translation>Personas involucradas</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/page.py" />
            <source>Add &amp;person…</source>
            <translation>Añadir &amp;persona…</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/page.py" />
            <source>Add a person to the case</source>
            <translation>Añadir una persona al caso</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/page.py" />
            <source>Remo&amp;ve</source>
            <translation>&amp;Quitar</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/page.py" />
            <source>Remove the selected person</source>
            <translation>Quitar a la persona seleccionada</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/page.py" />
            <source>Student &amp;history…</source>
            <translation>&amp;Historial de la persona estudiante…</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/page.py" />
            <source>Show the selected person's history</source>
            <translation>Mostrar el historial de la persona seleccionada</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/page.py" />
            <source>Family contact log</source>
            <translation>Registro de contactos con la familia</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/page.py" />
            <source>When</source>
            <translation>Cuándo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/page.py" />
            <source>Who</source>
            <translation>Quién</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/page.py" />
            <source>How</source>
            <translation>Cómo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/page.py" />
            <source>Outcome</source>
            <translation>Resultado</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/page.py" />
            <source>&amp;Log a contact…</source>
            <translation>Registrar un c&amp;ontacto…</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/page.py" />
            <source>Log a family contact</source>
            <translation>Registrar un contacto con la familia</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/page.py" />
            <source>Circles of this case</source>
            <translation>Círculos de este caso</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/page.py" />
            <source>Circle</source>
            <translation>Círculo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/page.py" />
            <source>Status</source>
            <translation>Estado</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/page.py" />
            <source>Agreements of this case</source>
            <translation>Acuerdos de este caso</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/page.py" />
            <source>Version</source>
            <translation>Versión</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/page.py" />
            <source>Agreed</source>
            <translation>Acordado</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/page.py" />
            <source>Items done</source>
            <translation>Cumplidos</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/page.py" />
            <source>Famil&amp;y letter…</source>
            <translation>Carta a la familia…</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/page.py" />
            <source>Save the letter to the family as PDF</source>
            <translation>Guardar la carta a la familia en PDF</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/page.py" />
            <source>Follow-ups of this case</source>
            <translation>Seguimientos de este caso</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/page.py" />
            <source>Due</source>
            <translation>Fecha límite</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/page.py" />
            <source>What</source>
            <translation>Qué</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/page.py" />
            <source>Add &amp;follow-up…</source>
            <translation>Añadir &amp;seguimiento…</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/page.py" />
            <source>Add a follow-up</source>
            <translation>Añadir un seguimiento</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/page.py" />
            <source>Reopen follo&amp;w-up</source>
            <translation>Reabrir el se&amp;guimiento</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/page.py" />
            <source>Reopen the selected follow-up (done, missed, lapsed or cancelled)</source>
            <translation>Reabrir el seguimiento seleccionado (hecho, no realizado, caducado o cancelado)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/page.py" />
            <source>Schedule check-ins after the conference</source>
            <translation>Programar revisiones después de la conferencia</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/page.py" />
            <source>Schedule the default check-ins after the conference</source>
            <translation>Programar las revisiones habituales después de la conferencia</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/page.py" />
            <source>Follow-ups</source>
            <translation>Seguimientos</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/page.py" />
            <source>Circles</source>
            <translation>Círculos</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/page.py" />
            <source>Agreements</source>
            <translation>Acuerdos</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/page.py" />
            <source>Case {number}: {category}</source>
            <translation>Caso {number}: {category}</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/page.py" />
            <source>{source} ({name})</source>
            <translation>{source} ({name})</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/page.py" />
            <source>Referred on {day} by {source}.</source>
            <translation>Remitido el {day} por {source}.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/page.py" />
            <source>on {day}</source>
            <translation>el {day}</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/page.py" />
            <source>at {place}</source>
            <translation>en {place}</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/page.py" />
            <source>Incident {when}.</source>
            <translation>Incidente {when}.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/page.py" />
            <source>Closed on {day}: {reason}.</source>
            <translation>Cerrado el {day}: {reason}.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/page.py" />
            <source>Now: {status}</source>
            <translation>Ahora: {status}</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/page.py" />
            <source>Move to {step} →</source>
            <translation>Pasar a {step} →</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/page.py" />
            <source>Move to {step}</source>
            <translation>Pasar a {step}</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/page.py" />
            <source>No next step</source>
            <translation>No hay paso siguiente</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/page.py" />
            <source>← Back to {step}…</source>
            <translation>← Volver a {step}…</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/page.py" />
            <source>Go back to {step}, with a reason</source>
            <translation>Volver a {step}, con un motivo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/page.py" />
            <source>First step</source>
            <translation>Primer paso</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/page.py" />
            <source>No step before this one</source>
            <translation>No hay paso anterior a este</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/page.py" />
            <source>← Reopen…</source>
            <translation>← Reabrir…</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/page.py" />
            <source>Nobody added yet.</source>
            <translation>Todavía no se ha añadido a nadie.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/page.py" />
            <source>(not listed)</source>
            <translation>(no está en la lista)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/page.py" />
            <source>No contact with the family logged yet.</source>
            <translation>Todavía no se ha registrado ningún contacto con la familia.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/page.py" />
            <source>Not scheduled</source>
            <translation>Sin programar</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/page.py" />
            <source>No circles yet. Plan pre-meetings and the conference in Circles.</source>
            <translation>Todavía no hay círculos. Planifique las reuniones previas y la conferencia en Círculos.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/page.py" />
            <source>{done} of {items}</source>
            <translation>{done} de {items}</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/page.py" />
            <source>No agreement yet.</source>
            <translation>Todavía no hay acuerdo.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/page.py" />
            <source>Follow-up</source>
            <translation>Seguimiento</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/page.py" />
            <source>No follow-ups yet.</source>
            <translation>Todavía no hay seguimientos.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/page.py" />
            <source>One and four weeks after the conference</source>
            <translation>Una y cuatro semanas después de la conferencia</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/page.py" />
            <source>Plan the conference first; the check-ins are counted from it.</source>
            <translation>Primero planifique la conferencia; las revisiones se cuentan a partir de ella.</translation>
        </message>
        <message>
            <source>Re&amp;open follow-up</source>
            <translation type="vanished">Reabrir el se&amp;guimiento</translation>
        </message>
        <message>
            <source>{n} days overdue</source>
            <translation type="vanished">{n} días de retraso</translation>
        </message>
        <message>
            <source>Moved to {step}.</source>
            <translation type="vanished">Pasó a {step}.</translation>
        </message>
        <message>
            <source>Go back a step</source>
            <translation type="vanished">Volver un paso atrás</translation>
        </message>
        <message>
            <source>Why does the case go back to {step}?</source>
            <translation type="vanished">¿Por qué vuelve el caso a {step}?</translation>
        </message>
        <message>
            <source>Back to {step}.</source>
            <translation type="vanished">De vuelta a {step}.</translation>
        </message>
        <message>
            <source>The case stays open; nothing was changed.</source>
            <translation type="vanished">El caso sigue abierto; no se cambió nada.</translation>
        </message>
        <message>
            <source>Closed: {reason}.</source>
            <translation type="vanished">Cerrado: {reason}.</translation>
        </message>
        <message>
            <source>{n} follow-up(s) cancelled.</source>
            <translation type="vanished">Se cancelaron {n} seguimiento(s).</translation>
        </message>
        <message>
            <source>Role in the case</source>
            <translation type="vanished">Papel en el caso</translation>
        </message>
        <message>
            <source>{name}'s role in this case:</source>
            <translation type="vanished">Papel de {name} en este caso:</translation>
        </message>
        <message>
            <source>Added {name}.</source>
            <translation type="vanished">Se añadió a {name}.</translation>
        </message>
        <message>
            <source>Removed {name} from the case.</source>
            <translation type="vanished">Se quitó a {name} del caso.</translation>
        </message>
        <message>
            <source>Contact logged.</source>
            <translation type="vanished">Contacto registrado.</translation>
        </message>
        <message>
            <source>Follow-up added.</source>
            <translation type="vanished">Seguimiento añadido.</translation>
        </message>
        <message>
            <source>Who does the check-ins?</source>
            <translation type="vanished">¿Quién hace las revisiones?</translation>
        </message>
        <message>
            <source>Check-ins one and four weeks after the conference.</source>
            <translation type="vanished">Revisiones una y cuatro semanas después de la conferencia.</translation>
        </message>
        <message>
            <source>{n} check-in(s) scheduled.</source>
            <translation type="vanished">Se programaron {n} revisión(es).</translation>
        </message>
        <message>
            <source>The check-ins were already scheduled.</source>
            <translation type="vanished">Las revisiones ya estaban programadas.</translation>
        </message>
    </context>
    <context>
        <name>CasePageActions</name>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/page_actions.py" />
            <source>Moved to {step}.</source>
            <translation>Pasó a {step}.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/page_actions.py" />
            <source>Go back a step</source>
            <translation>Volver un paso</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/page_actions.py" />
            <source>Why does the case go back to {step}?</source>
            <translation>¿Por qué vuelve el caso a {step}?</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/page_actions.py" />
            <source>Back to {step}.</source>
            <translation>De vuelta a {step}.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/page_actions.py" />
            <source>The case stays open; nothing was changed.</source>
            <translation>El caso sigue abierto; no se cambió nada.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/page_actions.py" />
            <source>Closed: {reason}.</source>
            <translation>Cerrado: {reason}.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/page_actions.py" />
            <source>1 follow-up cancelled.</source>
            <translation>Se canceló 1 seguimiento.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/page_actions.py" />
            <source>{count} follow-ups cancelled.</source>
            <translation>Se cancelaron {count} seguimientos.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/page_actions.py" />
            <source>Add a person to the case</source>
            <translation>Agregar una persona al caso</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/page_actions.py" />
            <source>Role in the case</source>
            <translation>Papel en el caso</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/page_actions.py" />
            <source>{name}'s role in this case:</source>
            <translation>Papel de {name} en este caso:</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/page_actions.py" />
            <source>Added {name}.</source>
            <translation>Se agregó a {name}.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/page_actions.py" />
            <source>Removed {name} from the case.</source>
            <translation>Se quitó a {name} del caso.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/page_actions.py" />
            <source>Contact logged.</source>
            <translation>Contacto registrado.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/page_actions.py" />
            <source>Follow-up added.</source>
            <translation>Seguimiento agregado.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/page_actions.py" />
            <source>Follow-up reopened; it is open again.</source>
            <translation>Se reabrió el seguimiento; vuelve a estar pendiente.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/page_actions.py" />
            <source>Who does the check-ins?</source>
            <translation>¿Quién hace los seguimientos?</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/page_actions.py" />
            <source>Check-ins one and four weeks after the conference.</source>
            <translation>Seguimientos una y cuatro semanas después de la conferencia.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/page_actions.py" />
            <source>1 check-in scheduled.</source>
            <translation>Se programó 1 revisión.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/page_actions.py" />
            <source>{count} check-ins scheduled.</source>
            <translation>Se programaron {count} revisiones.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/page_actions.py" />
            <source>The check-ins were already scheduled.</source>
            <translation>Los seguimientos ya estaban programados.</translation>
        </message>
        <message>
            <source>{n} follow-up(s) cancelled.</source>
            <translation type="vanished">Seguimientos cancelados: {n}.</translation>
        </message>
        <message>
            <source>{n} check-in(s) scheduled.</source>
            <translation type="vanished">Seguimientos programados: {n}.</translation>
        </message>
        <message>
            <source>Re&amp;open follow-up</source>
            <translation type="vanished">Re&amp;abrir seguimiento</translation>
        </message>
        <message>
            <source>Reopen the selected follow-up (done, missed, lapsed or cancelled)</source>
            <translation type="vanished">Reabrir el seguimiento seleccionado (hecho, no realizado, caducado o cancelado)</translation>
        </message>
    </context>
    <context>
        <name>CaseStatus</name>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/common.py" />
            <source>Referred</source>
            <translation>Remitido</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/common.py" />
            <source>Screened</source>
            <translation>Evaluado</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/common.py" />
            <source>Preparing</source>
            <translation>En preparación</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/common.py" />
            <source>Conference held</source>
            <translation>Conferencia realizada</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/common.py" />
            <source>Monitoring</source>
            <translation>En seguimiento</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/common.py" />
            <source>Closed</source>
            <translation>Cerrado</translation>
        </message>
    </context>
    <context>
        <name>CaseTableModel</name>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/model.py" />
            <source>Referred</source>
            <translation>Remitido</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/model.py" />
            <source>Incident</source>
            <translation>Incidente</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/model.py" />
            <source>People involved</source>
            <translation>Personas involucradas</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/model.py" />
            <source>Status</source>
            <translation>Estado</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/model.py" />
            <source>Diverted from</source>
            <translation>Desviado de</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/model.py" />
            <source>School</source>
            <translation>Escuela</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/model.py" />
            <source>Closed: {reason}</source>
            <translation>Cerrado: {reason}</translation>
        </message>
    </context>
    <context>
        <name>CasesArea</name>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/area.py" />
            <source>Cases</source>
            <translation>Casos</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/area.py" />
            <source>Show cases at this step</source>
            <translation>Mostrar los casos en este paso</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/area.py" />
            <source>Every step</source>
            <translation>Todos los pasos</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/area.py" />
            <source>&amp;Open cases only</source>
            <translation>Solo casos &amp;abiertos</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/area.py" />
            <source>Open cases only</source>
            <translation>Solo casos abiertos</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/area.py" />
            <source>A person's name, a case number or an incident type</source>
            <translation>Nombre de una persona, número de caso o tipo de incidente</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/area.py" />
            <source>Newest referral first</source>
            <translation>Remisiones más recientes primero</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/area.py" />
            <source>Search cases</source>
            <translation>Buscar casos</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/area.py" />
            <source>Case list</source>
            <translation>Lista de casos</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/area.py" />
            <source>Case list columns</source>
            <translation>Columnas de la lista de casos</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/area.py" />
            <source>&amp;New referral…</source>
            <translation>&amp;Nueva remisión…</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/area.py" />
            <source>New referral</source>
            <translation>Nueva remisión</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/area.py" />
            <source>Take in a new referral (Ctrl+N)</source>
            <translation>Registrar una nueva remisión (Ctrl+N)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/area.py" />
            <source>O&amp;pen case</source>
            <translation>A&amp;brir caso</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/area.py" />
            <source>Open the selected case</source>
            <translation>Abrir el caso seleccionado</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/area.py" />
            <source>Incident &amp;types…</source>
            <translation>&amp;Tipos de incidente…</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/area.py" />
            <source>Incident types: what each counts as in SWIS and for the state</source>
            <translation>Tipos de incidente: cómo cuenta cada uno en SWIS y para el estado</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/area.py" />
            <source>Export &amp;calendar…</source>
            <translation>Exportar &amp;calendario…</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/area.py" />
            <source>Export circles and follow-ups to a calendar file</source>
            <translation>Exportar círculos y seguimientos a un archivo de calendario</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/area.py" />
            <source>How many cases are listed</source>
            <translation>Cuántos casos aparecen en la lista</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/area.py" />
            <source>Last change</source>
            <translation>Último cambio</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/area.py" />
            <source>&amp;Step:</source>
            <translation>&amp;Paso:</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/area.py" />
            <source>1 case</source>
            <translation>1 caso</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/area.py" />
            <source>{count} cases</source>
            <translation>{count} casos</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/area.py" />
            <source>Referral recorded as case {number}.</source>
            <translation>Remisión registrada como caso {number}.</translation>
        </message>
    </context>
    <context>
        <name>ChartView</name>
        <message>
            <location filename="../../src/circlekeeper/ui/reports/section_view.py" />
            <source>Chart: {title}</source>
            <translation>Gráfico: {title}</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/reports/section_view.py" />
            <source>The numbers of this chart are in the table under it.</source>
            <translation>Las cifras de este gráfico están en la tabla de abajo.</translation>
        </message>
    </context>
    <context>
        <name>CirclePicker</name>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/area.py" />
            <source>New agreement for a circle</source>
            <translation>Nuevo acuerdo para un círculo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/area.py" />
            <source>Circles that were held</source>
            <translation>Círculos realizados</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/area.py" />
            <source>(untitled)</source>
            <translation>(sin título)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/area.py" />
            <source>Choose the circle or conference the agreement was made in.</source>
            <translation>Elija el círculo o la conferencia en que se hizo el acuerdo.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/area.py" />
            <source>No circle has been held yet. An agreement is written after a circle or conference; hold one first.</source>
            <translation>Todavía no se ha realizado ningún círculo. Un acuerdo se redacta después de un círculo o una conferencia; realice uno primero.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/area.py" />
            <source>Start agreement</source>
            <translation>Iniciar acuerdo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/area.py" />
            <source>Start the agreement</source>
            <translation>Iniciar el acuerdo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/area.py" />
            <source>Cancel</source>
            <translation>Cancelar</translation>
        </message>
    </context>
    <context>
        <name>CircleStatus</name>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/common.py" />
            <source>Planned</source>
            <translation>Planificado</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/common.py" />
            <source>Running (interrupted?)</source>
            <translation>En curso (¿interrumpido?)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/common.py" />
            <source>Held</source>
            <translation>Realizado</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/common.py" />
            <source>Cancelled</source>
            <translation>Cancelado</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/labels.py" />
            <source>In progress</source>
            <translation>En curso</translation>
        </message>
    </context>
    <context>
        <name>CirclesArea</name>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/area.py" />
            <source>Circles</source>
            <translation>Círculos</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/area.py" />
            <source>Show circles that are</source>
            <translation>Mostrar los círculos que están</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/area.py" />
            <source>All circles</source>
            <translation>Todos los círculos</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/area.py" />
            <source>S&amp;how</source>
            <translation>&amp;Mostrar</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/area.py" />
            <source>Circles list</source>
            <translation>Lista de círculos</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/area.py" />
            <source>Columns</source>
            <translation>Columnas</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/area.py" />
            <source>&amp;New circle…</source>
            <translation>&amp;Nuevo círculo…</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/area.py" />
            <source>Plan a new circle</source>
            <translation>Planificar un nuevo círculo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/area.py" />
            <source>Plan a new circle (Ctrl+N)</source>
            <translation>Planificar un nuevo círculo (Ctrl+N)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/area.py" />
            <source>&amp;Open plan…</source>
            <translation>&amp;Abrir plan…</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/area.py" />
            <source>Open the plan of the selected circle</source>
            <translation>Abrir el plan del círculo seleccionado</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/area.py" />
            <source>Open the plan (Enter)</source>
            <translation>Abrir el plan (Intro)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/area.py" />
            <source>&amp;Start circle…</source>
            <translation>Inicia&amp;r círculo…</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/area.py" />
            <source>Start the selected circle</source>
            <translation>Iniciar el círculo seleccionado</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/area.py" />
            <source>C&amp;ancel circle…</source>
            <translation>Cancelar círc&amp;ulo…</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/area.py" />
            <source>Cancel the selected circle</source>
            <translation>Cancelar el círculo seleccionado</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/area.py" />
            <source>How many circles are listed</source>
            <translation>Cuántos círculos aparecen en la lista</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/area.py" />
            <source>Last change</source>
            <translation>Último cambio</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/area.py" />
            <source>1 circle</source>
            <translation>1 círculo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/area.py" />
            <source>{count} circles</source>
            <translation>{count} círculos</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/area.py" />
            <source>Re&amp;sume circle…</source>
            <translation>Re&amp;anudar círculo…</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/area.py" />
            <source>Resume the selected circle</source>
            <translation>Reanudar el círculo seleccionado</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/area.py" />
            <source>Planned “{title}”.</source>
            <translation>Se planificó «{title}».</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/area.py" />
            <source>Cancel this circle?</source>
            <translation>¿Cancelar este círculo?</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/area.py" />
            <source>Cancel “{title}”? It stays in the list as cancelled, with its plan; it cannot be started afterwards.</source>
            <translation>¿Cancelar «{title}»? Se queda en la lista como cancelado, con su plan; después ya no se podrá iniciar.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/area.py" />
            <source>Cancelled “{title}”.</source>
            <translation>Se canceló «{title}».</translation>
        </message>
    </context>
    <context>
        <name>CirclesTableModel</name>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/model.py" />
            <source>When</source>
            <translation>Cuándo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/model.py" />
            <source>Title</source>
            <translation>Título</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/model.py" />
            <source>Kind</source>
            <translation>Tipo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/model.py" />
            <source>Status</source>
            <translation>Estado</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/model.py" />
            <source>Place</source>
            <translation>Lugar</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/model.py" />
            <source>People</source>
            <translation>Personas</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/model.py" />
            <source>Not decided</source>
            <translation>Sin decidir</translation>
        </message>
    </context>
    <context>
        <name>CloseCaseDialog</name>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/dialogs.py" />
            <source>Close the case</source>
            <translation>Cerrar el caso</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/dialogs.py" />
            <source>How the case ended</source>
            <translation>Cómo terminó el caso</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/dialogs.py" />
            <source>Date the case closes</source>
            <translation>Fecha de cierre del caso</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/dialogs.py" />
            <source>&amp;How it ended</source>
            <translation>&amp;Cómo terminó</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/dialogs.py" />
            <source>Closed &amp;on</source>
            <translation>Cerrado &amp;el</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/dialogs.py" />
            <source>A closed case can be reopened later (one step back, with a reason).</source>
            <translation>Un caso cerrado se puede reabrir más adelante (un paso atrás, con un motivo).</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/dialogs.py" />
            <source>&amp;Close case</source>
            <translation>&amp;Cerrar caso</translation>
        </message>
    </context>
    <context>
        <name>ClosureReason</name>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/common.py" />
            <source>Completed</source>
            <translation>Cumplido</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/common.py" />
            <source>Partially completed</source>
            <translation>Cumplido en parte</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/common.py" />
            <source>Declined</source>
            <translation>Rechazado</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/common.py" />
            <source>Not restorable</source>
            <translation>No apto para un proceso restaurativo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/common.py" />
            <source>Not completed</source>
            <translation>No cumplido</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/common.py" />
            <source>Handed off</source>
            <translation>Derivado</translation>
        </message>
    </context>
    <context>
        <name>ColumnChoices</name>
        <message>
            <location filename="../../src/circlekeeper/ui/people/roster_preview.py" />
            <source>How the file's columns are used</source>
            <translation>Cómo se usan las columnas del archivo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/roster_preview.py" />
            <source>In the file</source>
            <translation>En el archivo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/roster_preview.py" />
            <source>Used as</source>
            <translation>Se usa como</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/roster_preview.py" />
            <source>Not used</source>
            <translation>No se usa</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/roster_preview.py" />
            <source>Field for the column {column}</source>
            <translation>Campo para la columna {column}</translation>
        </message>
    </context>
    <context>
        <name>ConfirmEndDialog</name>
        <message>
            <location filename="../../src/circlekeeper/ui/live/dialogs.py" />
            <source>End the circle?</source>
            <translation>¿Terminar el círculo?</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/dialogs.py" />
            <source>End the circle now? {progress}

Everything so far is already saved. After ending, the summary is shown and the circle can no longer be changed.</source>
            <translation>¿Terminar el círculo ahora? {progress}

Todo lo hecho hasta ahora ya está guardado. Al terminar, se muestra el resumen y el círculo ya no se puede cambiar.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/dialogs.py" />
            <source>&amp;End the circle</source>
            <translation>&amp;Terminar el círculo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/dialogs.py" />
            <source>End the circle</source>
            <translation>Terminar el círculo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/dialogs.py" />
            <source>&amp;Keep going</source>
            <translation>&amp;Seguir</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/dialogs.py" />
            <source>Keep going</source>
            <translation>Seguir</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/dialogs.py" />
            <source>Go back to the circle (Return or Esc)</source>
            <translation>Volver al círculo (Intro o Esc)</translation>
        </message>
        <message>
            <source>Go back to the circle (Esc)</source>
            <translation type="vanished">Volver al círculo (Esc)</translation>
        </message>
    </context>
    <context>
        <name>ConflictNotice</name>
        <message>
            <location filename="../../src/circlekeeper/ui/conflicts.py" />
            <source>Someone else saved first</source>
            <translation>Otra persona guardó antes</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/conflicts.py" />
            <source>What the other person changed</source>
            <translation>Lo que cambió la otra persona</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/conflicts.py" />
            <source>What you entered, not saved</source>
            <translation>Lo que usted escribió, sin guardar</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/conflicts.py" />
            <source>&amp;Load the saved version</source>
            <translation>&amp;Cargar la versión guardada</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/conflicts.py" />
            <source>Load the saved version</source>
            <translation>Cargar la versión guardada</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/conflicts.py" />
            <source>&amp;Hide this note</source>
            <translation>&amp;Ocultar este aviso</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/conflicts.py" />
            <source>Hide this note</source>
            <translation>Ocultar este aviso</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/conflicts.py" />
            <source>What you entered (not saved yet; still in the form):</source>
            <translation>Lo que usted escribió (aún sin guardar; sigue en el formulario):</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/conflicts.py" />
            <source>The saved version is loaded. Enter your changes again where they still apply.</source>
            <translation>Se cargó la versión guardada. Vuelva a escribir sus cambios donde todavía correspondan.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/conflicts.py" />
            <source>What you had entered:</source>
            <translation>Lo que usted había escrito:</translation>
        </message>
    </context>
    <context>
        <name>ConnectionLine</name>
        <message>
            <location filename="../../src/circlekeeper/ui/live/connection.py" />
            <source>Connection to the server</source>
            <translation>Conexión con el servidor</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/connection.py" />
            <source>Offline — saving on this laptop. Everything will be sent when the server is back.</source>
            <translation>Sin conexión — se guarda en esta computadora. Todo se enviará cuando vuelva el servidor.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/connection.py" />
            <source>Back online — everything saved.</source>
            <translation>Conexión restablecida — todo quedó guardado.</translation>
        </message>
    </context>
    <context>
        <name>ContactDialog</name>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/dialogs.py" />
            <source>Log a family contact</source>
            <translation>Registrar un contacto con la familia</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/dialogs.py" />
            <source>When the contact happened</source>
            <translation>Cuándo fue el contacto</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/dialogs.py" />
            <source>Who was contacted</source>
            <translation>Con quién se tuvo contacto</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/dialogs.py" />
            <source>Someone not listed</source>
            <translation>Alguien que no está en la lista</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/dialogs.py" />
            <source>How</source>
            <translation>Cómo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/dialogs.py" />
            <source>Outcome</source>
            <translation>Resultado</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/dialogs.py" />
            <source>e.g. Mother agreed to come on Thursday</source>
            <translation>p. ej. La madre aceptó venir el jueves</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/dialogs.py" />
            <source>Staff member who made the contact</source>
            <translation>Miembro del personal que hizo el contacto</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/dialogs.py" />
            <source>&amp;When</source>
            <translation>Cuándo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/dialogs.py" />
            <source>&amp;Who</source>
            <translation>&amp;Con quién</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/dialogs.py" />
            <source>&amp;How</source>
            <translation>Có&amp;mo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/dialogs.py" />
            <source>&amp;Outcome</source>
            <translation>&amp;Resultado</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/dialogs.py" />
            <source>&amp;Staff</source>
            <translation>&amp;Personal</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/dialogs.py" />
            <source>&amp;Log contact</source>
            <translation>&amp;Registrar contacto</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/dialogs.py" />
            <source>Log the contact</source>
            <translation>Registrar el contacto</translation>
        </message>
    </context>
    <context>
        <name>ContactMethod</name>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/common.py" />
            <source>Phone call</source>
            <translation>Llamada telefónica</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/common.py" />
            <source>Meeting</source>
            <translation>Reunión</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/common.py" />
            <source>Letter</source>
            <translation>Carta</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/common.py" />
            <source>Email</source>
            <translation>Correo electrónico</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/common.py" />
            <source>Other</source>
            <translation>Otro</translation>
        </message>
    </context>
    <context>
        <name>DamagedDialog</name>
        <message>
            <location filename="../../src/circlekeeper/ui/security/damaged.py" />
            <source>The records file is damaged</source>
            <translation>El archivo de registros está dañado</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/damaged.py" />
            <source>circlekeeper could not read {file} safely ({what}). This can happen when a laptop loses power or a disk has a fault.</source>
            <translation>circlekeeper no pudo leer {file} de forma segura ({what}). Esto puede pasar cuando una computadora portátil se queda sin energía o un disco tiene una falla.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/damaged.py" />
            <source>Nothing in it was changed or deleted: the damaged file was moved aside to {moved}, so IT staff can still look at it.</source>
            <translation>No se cambió ni se borró nada de su contenido: el archivo dañado se apartó a {moved}, para que el personal de informática todavía pueda revisarlo.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/damaged.py" />
            <source>Nothing in it was changed or deleted.</source>
            <translation>No se cambió ni se borró nada de su contenido.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/damaged.py" />
            <source>The newest backup is {name}. Restoring it brings back your records as they were when it was made; changes made after that are not in it.</source>
            <translation>La copia de seguridad más reciente es {name}. Al restaurarla, sus registros vuelven a como estaban cuando se hizo; los cambios posteriores no están en ella.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/damaged.py" />
            <source>No good backup of this file was found, so it cannot be restored here.</source>
            <translation>No se encontró ninguna copia de seguridad buena de este archivo, así que no se puede restaurar aquí.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/damaged.py" />
            <source>&amp;Restore the newest backup and open it</source>
            <translation>&amp;Restaurar la copia más reciente y abrirla</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/damaged.py" />
            <source>Start with an &amp;empty database</source>
            <translation>Empezar con una base de datos &amp;vacía</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/damaged.py" />
            <source>&amp;Quit without changing anything</source>
            <translation>&amp;Salir sin cambiar nada</translation>
        </message>
    </context>
    <context>
        <name>DisclosuresDialog</name>
        <message>
            <location filename="../../src/circlekeeper/ui/disclosures.py" />
            <source>Record of disclosures</source>
            <translation>Registro de divulgaciones</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/disclosures.py" />
            <source>Student</source>
            <translation>Estudiante</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/disclosures.py" />
            <source>Language of the printed record</source>
            <translation>Idioma del registro impreso</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/disclosures.py" />
            <source>English</source>
            <translation>English (inglés)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/disclosures.py" />
            <source>Spanish</source>
            <translation>Español</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/disclosures.py" />
            <source>English and Spanish</source>
            <translation>Inglés y español</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/disclosures.py" />
            <source>Disclosures of this student</source>
            <translation>Divulgaciones sobre esta persona estudiante</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/disclosures.py" />
            <source>Date</source>
            <translation>Fecha</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/disclosures.py" />
            <source>What</source>
            <translation>Qué</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/disclosures.py" />
            <source>Received by</source>
            <translation>Recibido por</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/disclosures.py" />
            <source>What was shared</source>
            <translation>Qué se compartió</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/disclosures.py" />
            <source>Basis</source>
            <translation>Base</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/disclosures.py" />
            <source>Save as &amp;PDF…</source>
            <translation>Guardar como &amp;PDF…</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/disclosures.py" />
            <source>Save the record of disclosures as PDF</source>
            <translation>Guardar el registro de divulgaciones como PDF</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/disclosures.py" />
            <source>P&amp;rint…</source>
            <translation>Imprimir…</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/disclosures.py" />
            <source>Print the record of disclosures</source>
            <translation>Imprimir el registro de divulgaciones</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/disclosures.py" />
            <source>Close</source>
            <translation>Cerrar</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/disclosures.py" />
            <source>Close the record of disclosures</source>
            <translation>Cerrar el registro de divulgaciones</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/disclosures.py" />
            <source>Record of disclosures message</source>
            <translation>Mensaje del registro de divulgaciones</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/disclosures.py" />
            <source>&amp;Student</source>
            <translation>&amp;Estudiante</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/disclosures.py" />
            <source>&amp;Language</source>
            <translation>&amp;Idioma</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/disclosures.py" />
            <source>Each time information from the student's record left the school's staff: who received it, when, what and why. A parent or guardian may ask to see it.</source>
            <translation>Cada vez que información del expediente de la persona estudiante salió del personal de la escuela: quién la recibió, cuándo, qué y por qué. La madre, el padre o tutor puede pedir verlo.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/disclosures.py" />
            <source>No student is named in this case.</source>
            <translation>No se nombra a ninguna persona estudiante en este caso.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/disclosures.py" />
            <source>not stated</source>
            <translation>no consta</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/disclosures.py" />
            <source>Save the record of disclosures</source>
            <translation>Guardar el registro de divulgaciones</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/disclosures.py" />
            <source>Saved {file}.</source>
            <translation>Se guardó {file}.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/disclosures.py" />
            <source>Print preview — {title}</source>
            <translation>Vista previa de impresión — {title}</translation>
        </message>
    </context>
    <context>
        <name>Diversion</name>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/common.py" />
            <source>Nothing (not a diversion)</source>
            <translation>Nada (no es una desviación)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/common.py" />
            <source>Suspension</source>
            <translation>Suspensión</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/common.py" />
            <source>Expulsion</source>
            <translation>Expulsión</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/common.py" />
            <source>Citation</source>
            <translation>Citación</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/common.py" />
            <source>Arrest</source>
            <translation>Arresto</translation>
        </message>
    </context>
    <context>
        <name>DiversionSection</name>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/sections.py" />
            <source>Diversion</source>
            <translation>Desviación</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/sections.py" />
            <source>Consequence replaced</source>
            <translation>Consecuencia reemplazada</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/sections.py" />
            <source>Not counted</source>
            <translation>No se cuenta</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/sections.py" />
            <source> days</source>
            <translation> días</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/sections.py" />
            <source>Days of suspension or expulsion avoided</source>
            <translation>Días de suspensión o expulsión evitados</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/sections.py" />
            <source>The original consequence was &amp;reinstated</source>
            <translation>Se &amp;restableció la consecuencia original</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/sections.py" />
            <source>The original consequence was reinstated</source>
            <translation>Se restableció la consecuencia original</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/sections.py" />
            <source>Save &amp;diversion</source>
            <translation>Guardar des&amp;viación</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/sections.py" />
            <source>Save the diversion</source>
            <translation>Guardar la desviación</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/sections.py" />
            <source>Diversion result</source>
            <translation>Resultado de la desviación</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/sections.py" />
            <source>Recorded by a counselor or an administrator.</source>
            <translation>Lo registra una persona de orientación o de la administración.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/sections.py" />
            <source>Who records the diversion</source>
            <translation>Quién registra la alternativa a la sanción</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/sections.py" />
            <source>Replaced &amp;consequence</source>
            <translation>Consecuencia reemp&amp;lazada</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/sections.py" />
            <source>Amoun&amp;t</source>
            <translation>Cant&amp;idad</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/sections.py" />
            <source>Saved.</source>
            <translation>Guardado.</translation>
        </message>
        <message>
            <source>&amp;Amount</source>
            <translation type="vanished">&amp;Cantidad</translation>
        </message>
    </context>
    <context>
        <name>DocumentDialog</name>
        <message>
            <location filename="../../src/circlekeeper/ui/documents.py" />
            <source>Language of the document</source>
            <translation>Idioma del documento</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/documents.py" />
            <source>Student the letter is about</source>
            <translation>Estudiante de quien trata la carta</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/documents.py" />
            <source>Problem</source>
            <translation>Problema</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/documents.py" />
            <source>Last change</source>
            <translation>Último cambio</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/documents.py" />
            <source>Save &amp;PDF…</source>
            <translation>Guardar &amp;PDF…</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/documents.py" />
            <source>Save as PDF</source>
            <translation>Guardar en PDF</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/documents.py" />
            <source>&amp;Language:</source>
            <translation>&amp;Idioma:</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/documents.py" />
            <source>&amp;Student:</source>
            <translation>&amp;Estudiante:</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/documents.py" />
            <source>Close</source>
            <translation>Cerrar</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/documents.py" />
            <source>Saved {file}.</source>
            <translation>Se guardó {file}.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/documents.py" />
            <source>This agreement names no student, so there is no family to write to.</source>
            <translation>Este acuerdo no nombra a ninguna persona estudiante, así que no hay a qué familia escribir.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/documents.py" />
            <source>Letter to the family</source>
            <translation>Carta a la familia</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/documents.py" />
            <source>A letter to the student's guardians about what was agreed and who will check in, with a line for them to sign. It leaves out private notes and demographic fields.</source>
            <translation>Una carta para la familia o las personas tutoras de la persona estudiante sobre lo que se acordó y quién hará el seguimiento, con una línea para que la firmen. No incluye notas privadas ni datos demográficos.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/documents.py" />
            <source>Circle summary</source>
            <translation>Resumen del círculo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/documents.py" />
            <source>Who took part, the notes kept for the file and the agreement made. Private notes are included only on their author's own copy.</source>
            <translation>Quiénes participaron, las notas que se guardan en el expediente y el acuerdo que se hizo. Las notas privadas solo aparecen en la copia de quien las escribió.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/documents.py" />
            <source>Everyone taking part (a page each)</source>
            <translation>Todas las personas que participan (una página cada una)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/documents.py" />
            <source>Consent form</source>
            <translation>Formulario de consentimiento</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/documents.py" />
            <source>What the circle is, that taking part is voluntary and that consent can be withdrawn at any time, with a line for the person to sign and, for a minor, one for a parent or guardian.</source>
            <translation>Qué es el círculo, que la participación es voluntaria y que el consentimiento se puede retirar en cualquier momento, con una línea para que firme la persona y, si es menor de edad, otra para su madre, padre o tutor.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/documents.py" />
            <source>F&amp;or:</source>
            <translation>Pa&amp;ra:</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/documents.py" />
            <source>Whose consent form</source>
            <translation>De quién es el formulario de consentimiento</translation>
        </message>
    </context>
    <context>
        <name>EligibilityForm</name>
        <message>
            <location filename="../../src/circlekeeper/ui/eligibility.py" />
            <source>Not known yet</source>
            <translation>Aún no se sabe</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/eligibility.py" />
            <source>Yes</source>
            <translation>Sí</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/eligibility.py" />
            <source>No</source>
            <translation>No</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/eligibility.py" />
            <source>The person responsible ad&amp;mits their part</source>
            <translation>La persona responsable admite s&amp;u parte</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/eligibility.py" />
            <source>Everyone takes part volu&amp;ntarily</source>
            <translation>Todas las personas participan volu&amp;ntariamente</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/eligibility.py" />
            <source>A guardian consents for &amp;each minor</source>
            <translation>La madre, el padre o tutor de &amp;cada menor da su consentimiento</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/eligibility.py" />
            <source>Not recorded yet</source>
            <translation>Aún no registrado</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/eligibility.py" />
            <source>Yes, every guardian</source>
            <translation>Sí, todas las familias</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/eligibility.py" />
            <source>Refused</source>
            <translation>Se negó</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/eligibility.py" />
            <source>A weapon was involved</source>
            <translation>Hubo un arma</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/eligibility.py" />
            <source>The harm is sexual</source>
            <translation>El daño es de carácter sexual</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/eligibility.py" />
            <source>Someone was seriously injured</source>
            <translation>Alguien resultó gravemente herido</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/eligibility.py" />
            <source>There is a credible threat of harm</source>
            <translation>Hay una amenaza creíble de daño</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/eligibility.py" />
            <source>It is a Title IX matter</source>
            <translation>Es un asunto de Título IX</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/eligibility.py" />
            <source>It must go to child protection</source>
            <translation>Debe ir a protección infantil</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/eligibility.py" />
            <source>It is a police matter</source>
            <translation>Es un asunto policial</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/eligibility.py" />
            <source>Title IX, child protection or police (an earlier screen did not say which)</source>
            <translation>Título IX, protección infantil o policía (una evaluación anterior no indicó cuál)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/eligibility.py" />
            <source>Any of these means the case goes elsewhere, not to a conference:</source>
            <translation>Cualquiera de estas hace que el caso vaya a otra instancia, no a una conferencia:</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/eligibility.py" />
            <source>Halt: I, the facilitator, &amp;judge it is not safe to go ahead</source>
            <translation>Detener: como &amp;facilitador/a, considero que no es seguro continuar</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/eligibility.py" />
            <source>Halt: the facilitator judges it is not safe to go ahead</source>
            <translation>Detener: la persona facilitadora considera que no es seguro continuar</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/eligibility.py" />
            <source>Notes on the eligibility screen</source>
            <translation>Notas sobre la evaluación de elegibilidad</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/eligibility.py" />
            <source>Notes on the screen (optional)</source>
            <translation>Notas sobre la evaluación (opcional)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/eligibility.py" />
            <source>What the screen found</source>
            <translation>Lo que encontró la evaluación</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/eligibility.py" />
            <source>The screen's notes and its Title IX and child-protection answers stay with school staff.</source>
            <translation>Las notas de la evaluación y sus respuestas sobre el Título IX y la protección de menores quedan solo en manos del personal escolar.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/eligibility.py" />
            <source>What this profile does not see</source>
            <translation>Lo que este perfil no ve</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/eligibility.py" />
            <source>Not screened yet.</source>
            <translation>Aún sin evaluar.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/eligibility.py" />
            <source>✓ Eligible for a restorative conference.</source>
            <translation>✓ Elegible para una conferencia restaurativa.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/eligibility.py" />
            <source>Cannot go to a conference:</source>
            <translation>No puede ir a una conferencia:</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/eligibility.py" />
            <source>Still to find out:</source>
            <translation>Falta averiguar:</translation>
        </message>
    </context>
    <context>
        <name>EligibilitySection</name>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/sections.py" />
            <source>Eligibility screen</source>
            <translation>Evaluación de elegibilidad</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/sections.py" />
            <source>Save the &amp;screen</source>
            <translation>Guardar la &amp;evaluación</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/sections.py" />
            <source>Save the eligibility screen</source>
            <translation>Guardar la evaluación de elegibilidad</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/sections.py" />
            <source>Eligibility screen problem</source>
            <translation>Problema con la evaluación de elegibilidad</translation>
        </message>
    </context>
    <context>
        <name>Evaluation</name>
        <message>
            <location filename="../../src/circlekeeper/ui/evaluation/actions.py" />
            <source>Save the survey forms</source>
            <translation>Guardar los formularios de la encuesta</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/evaluation/actions.py" />
            <source>PDF files (*.pdf)</source>
            <translation>Archivos PDF (*.pdf)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/evaluation/actions.py" />
            <source>The forms were not saved</source>
            <translation>No se guardaron los formularios</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/evaluation/actions.py" />
            <source>Fidelity chec&amp;klist…</source>
            <translation>Lista de &amp;fidelidad…</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/evaluation/actions.py" />
            <source>Complete the fidelity checklist</source>
            <translation>Completar la lista de verificación de fidelidad</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/evaluation/actions.py" />
            <source>Hand round the surve&amp;y…</source>
            <translation>Repartir la &amp;encuesta…</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/evaluation/actions.py" />
            <source>Hand round the anonymous survey</source>
            <translation>Repartir la encuesta anónima</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/evaluation/actions.py" />
            <source>Survey forms to print (P&amp;DF)…</source>
            <translation>Formularios de e&amp;ncuesta para imprimir (PDF)…</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/evaluation/actions.py" />
            <source>Save survey forms to print</source>
            <translation>Guardar formularios de encuesta para imprimir</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/evaluation/actions.py" />
            <source>Enter pri&amp;nted surveys…</source>
            <translation>Ingresar encuestas im&amp;presas…</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/evaluation/actions.py" />
            <source>Enter answers from printed surveys</source>
            <translation>Ingresar las respuestas de encuestas impresas</translation>
        </message>
    </context>
    <context>
        <name>ExportBar</name>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/exporting.py" />
            <source>Language of the printed agreement</source>
            <translation>Idioma del acuerdo impreso</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/exporting.py" />
            <source>Which copy</source>
            <translation>Qué copia</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/exporting.py" />
            <source>The copy for sharing leaves out private notes and demographic fields and is marked as an education record that may not be passed on.</source>
            <translation>La copia para compartir omite las notas privadas y los datos demográficos, y se marca como expediente educativo que no se puede transmitir a terceros.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/exporting.py" />
            <source>A school resource officer's profile exports only the copy for sharing: no private notes, no demographic fields, marked as an education record.</source>
            <translation>Un perfil de oficial de recursos escolares (SRO) solo exporta la copia para compartir: sin notas privadas, sin datos demográficos y marcada como expediente educativo.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/exporting.py" />
            <source>Draft copy (not for s&amp;igning)</source>
            <translation>Copia borrador (no para &amp;firmar)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/exporting.py" />
            <source>Draft copy, marked DRAFT on every page</source>
            <translation>Copia borrador, marcada BORRADOR en cada página</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/exporting.py" />
            <source>An agreement with blanks still to fill in, such as [amount], prints only as a draft copy, marked DRAFT on every page, that is not for signing.</source>
            <translation>Un acuerdo con espacios por completar, como [cantidad], solo se imprime como copia borrador, marcada BORRADOR en cada página, que no es para firmar.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/exporting.py" />
            <source>Save &amp;PDF…</source>
            <translation>&amp;Guardar PDF…</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/exporting.py" />
            <source>Save as PDF</source>
            <translation>Guardar como PDF</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/exporting.py" />
            <source>Sa&amp;ve HTML…</source>
            <translation>Guardar &amp;HTML…</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/exporting.py" />
            <source>Save as HTML</source>
            <translation>Guardar como HTML</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/exporting.py" />
            <source>P&amp;rint…</source>
            <translation>Imprimir…</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/exporting.py" />
            <source>Print with a preview</source>
            <translation>Imprimir con vista previa</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/exporting.py" />
            <source>Export notes</source>
            <translation>Notas de la exportación</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/exporting.py" />
            <source>Export problem</source>
            <translation>Problema con la exportación</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/exporting.py" />
            <source>Preparing the agreement…</source>
            <translation>Preparando el acuerdo…</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/exporting.py" />
            <source>Export status</source>
            <translation>Estado de la exportación</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/exporting.py" />
            <source>Preparing the agreement</source>
            <translation>Preparando el acuerdo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/exporting.py" />
            <source>&amp;Language:</source>
            <translation>Idiom&amp;a:</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/exporting.py" />
            <source>C&amp;opy:</source>
            <translation>Copia:</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/exporting.py" />
            <source>Items with no Spanish wording</source>
            <translation>Compromisos sin redacción en español</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/exporting.py" />
            <source>Item {items} has no Spanish wording yet. The Spanish copy will print the English words for it and say so. Make the copy anyway?</source>
            <translation>El compromiso {items} todavía no tiene redacción en español. La copia en español imprimirá el texto en inglés y lo indicará. ¿Desea hacer la copia de todos modos?</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/exporting.py" />
            <source>To add the Spanish wording, edit the item and fill in the Spanish fields.</source>
            <translation>Para agregar la redacción en español, edite el compromiso y complete los campos en español.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/exporting.py" />
            <source>The agreement could not be prepared for printing. Nothing was saved; try again, and if it keeps happening, tell your IT staff.</source>
            <translation>No se pudo preparar el acuerdo para imprimir. No se guardó nada; inténtelo de nuevo y, si sigue pasando, avise al personal de informática.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/exporting.py" />
            <source>It could not be written in the record of disclosures: note by hand who received it, and tell your IT staff.</source>
            <translation>No se pudo anotar en el registro de divulgaciones: anote a mano quién la recibió y avise al personal de informática.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/exporting.py" />
            <source>It was written in each student's record of disclosures.</source>
            <translation>Se anotó en el registro de divulgaciones de cada estudiante.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/exporting.py" />
            <source>Saved {file}.</source>
            <translation>Se guardó {file}.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/exporting.py" />
            <source>Save the agreement as PDF</source>
            <translation>Guardar el acuerdo como PDF</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/exporting.py" />
            <source>Save the agreement as HTML</source>
            <translation>Guardar el acuerdo como HTML</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/exporting.py" />
            <source>Cannot write {file} ({reason}). Nothing was saved; choose a place you can write to.</source>
            <translation>No se puede escribir {file} ({reason}). No se guardó nada; elija un lugar donde se pueda escribir.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/exporting.py" />
            <source>Print preview — {title}</source>
            <translation>Vista previa de impresión — {title}</translation>
        </message>
        <message>
            <source>Dra&amp;ft copy to talk it over (marked DRAFT)</source>
            <translation type="vanished">Copia &amp;borrador para conversarla (marcada BORRADOR)</translation>
        </message>
        <message>
            <source>Save &amp;HTML…</source>
            <translation type="vanished">Guardar &amp;HTML…</translation>
        </message>
    </context>
    <context>
        <name>FacilitatorScreens</name>
        <message>
            <location filename="../../src/circlekeeper/ui/live/screens.py" />
            <source>This script has only one language.</source>
            <translation>Este guion tiene un solo idioma.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/screens.py" />
            <source>Languages: {shown}</source>
            <translation>Idiomas: {shown}</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/screens.py" />
            <source>The circle is still running</source>
            <translation>El círculo sigue en curso</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/screens.py" />
            <source>The circle has not ended. Everything so far is saved; closing pauses it, and you can resume it from Today where it stopped.</source>
            <translation>El círculo no ha terminado. Todo lo hecho hasta ahora está guardado; al cerrar se pausa, y puede retomarlo desde Hoy donde se quedó.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/screens.py" />
            <source>&amp;Pause and close</source>
            <translation>&amp;Pausar y cerrar</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/screens.py" />
            <source>&amp;Keep going</source>
            <translation>&amp;Seguir</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/screens.py" />
            <source>To end the circle, press Ctrl+W.</source>
            <translation>Para terminar el círculo, pulse Ctrl+W.</translation>
        </message>
    </context>
    <context>
        <name>FacilitatorWindow</name>
        <message>
            <location filename="../../src/circlekeeper/ui/live/facilitator.py" />
            <source>circlekeeper — {title}</source>
            <translation>circlekeeper — {title}</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/facilitator.py" />
            <source>Facilitator view</source>
            <translation>Vista de facilitación</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/facilitator.py" />
            <source>Resumed where the circle stopped. {n} notes kept.</source>
            <translation>Se reanudó donde se detuvo el círculo. Se conservaron {n} notas.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/facilitator.py" />
            <source>Stage number</source>
            <translation>Número de etapa</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/facilitator.py" />
            <source>Stage</source>
            <translation>Etapa</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/facilitator.py" />
            <source>Round timer</source>
            <translation>Temporizador de la ronda</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/facilitator.py" />
            <source>Time in this stage</source>
            <translation>Tiempo en esta etapa</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/facilitator.py" />
            <source>Total time</source>
            <translation>Tiempo total</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/facilitator.py" />
            <source>Round progress</source>
            <translation>Avance de la ronda</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/facilitator.py" />
            <source>Not in the ring</source>
            <translation>Fuera del círculo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/facilitator.py" />
            <source>Status</source>
            <translation>Estado</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/facilitator.py" />
            <source>Back</source>
            <translation>Atrás</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/facilitator.py" />
            <source>Pass</source>
            <translation>Pasar</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/facilitator.py" />
            <source>Next speaker</source>
            <translation>Siguiente persona</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/facilitator.py" />
            <source>Previous stage</source>
            <translation>Etapa anterior</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/facilitator.py" />
            <source>Next stage</source>
            <translation>Etapa siguiente</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/facilitator.py" />
            <source>Start timer</source>
            <translation>Iniciar temporizador</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/facilitator.py" />
            <source>Note…</source>
            <translation>Nota…</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/facilitator.py" />
            <source>Popcorn: choose…</source>
            <translation>Palomitas: elegir…</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/facilitator.py" />
            <source>Ring order</source>
            <translation>Orden del círculo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/facilitator.py" />
            <source>Set piece aside</source>
            <translation>Dejar la pieza a un lado</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/facilitator.py" />
            <source>Joins late…</source>
            <translation>Llega tarde…</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/facilitator.py" />
            <source>Leaves early…</source>
            <translation>Se va antes…</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/facilitator.py" />
            <source>Projector</source>
            <translation>Proyector</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/facilitator.py" />
            <source>Languages: English</source>
            <translation>Idiomas: English</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/facilitator.py" />
            <source>Guidelines on projector</source>
            <translation>Pautas en el proyector</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/facilitator.py" />
            <source>Full screen</source>
            <translation>Pantalla completa</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/facilitator.py" />
            <source>End circle…</source>
            <translation>Terminar círculo…</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/facilitator.py" />
            <source>Shortcut: {keys}</source>
            <translation>Atajo: {keys}</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/facilitator.py" />
            <source>Stage {n} of {total} · {circle}</source>
            <translation>Etapa {n} de {total} · {circle}</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/facilitator.py" />
            <source>Talking piece set aside — open conversation</source>
            <translation>Pieza para hablar a un lado — conversación abierta</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/facilitator.py" />
            <source>No talking-piece round in this stage</source>
            <translation>En esta etapa no hay ronda con la pieza para hablar</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/facilitator.py" />
            <source>Talking piece:
{name}</source>
            <translation>Pieza para hablar:
{name}</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/facilitator.py" />
            <source>Everyone has had a turn</source>
            <translation>Todas las personas han tenido su turno</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/facilitator.py" />
            <source>Popcorn: press O to choose who speaks</source>
            <translation>Palomitas: pulse O para elegir quién habla</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/facilitator.py" />
            <source>Open conversation. A picks the talking piece up again.</source>
            <translation>Conversación abierta. A retoma la pieza para hablar.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/facilitator.py" />
            <source>Last stage. End the circle when you are ready (Ctrl+W).</source>
            <translation>Última etapa. Termine el círculo cuando esté listo/a (Ctrl+W).</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/facilitator.py" />
            <source>Page Down when you are ready for the next stage.</source>
            <translation>Av Pág cuando esté listo/a para la siguiente etapa.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/facilitator.py" />
            <source>Everyone has had a turn ({spoke} spoke, {passed} passed)</source>
            <translation>Todas las personas han tenido su turno ({spoke} hablaron, {passed} pasaron)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/facilitator.py" />
            <source>{spoke} of {n} have spoken, {passed} passed</source>
            <translation>Han hablado {spoke} de {n}, {passed} pasaron</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/facilitator.py" />
            <source> · round {n}</source>
            <translation> · ronda {n}</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/facilitator.py" />
            <source> · popcorn order</source>
            <translation> · orden de palomitas</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/facilitator.py" />
            <source>Space: another round · Page Down: next stage</source>
            <translation>Espacio: otra ronda · Av Pág: siguiente etapa</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/facilitator.py" />
            <source>{name} (left early)</source>
            <translation>{name} (se fue antes)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/facilitator.py" />
            <source>{name} (observer)</source>
            <translation>{name} (observador/a)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/facilitator.py" />
            <source>{name} (absent)</source>
            <translation>{name} (ausente)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/facilitator.py" />
            <source>Not in the ring: {names}</source>
            <translation>Fuera del círculo: {names}</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/facilitator.py" />
            <source>Pause timer</source>
            <translation>Pausar temporizador</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/facilitator.py" />
            <source>Pick piece up</source>
            <translation>Retomar la pieza</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/facilitator.py" />
            <source>Start another round</source>
            <translation>Iniciar otra ronda</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/facilitator.py" />
            <source>Round timer {time}</source>
            <translation>Temporizador de la ronda {time}</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/facilitator.py" />
            <source>Round timer {time} (paused)</source>
            <translation>Temporizador de la ronda {time} (en pausa)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/facilitator.py" />
            <source>Round timer not started (T)</source>
            <translation>Temporizador de la ronda sin iniciar (T)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/facilitator.py" />
            <source>This stage {time}</source>
            <translation>Esta etapa {time}</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/facilitator.py" />
            <source> of about {m} min</source>
            <translation> de unos {m} min</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/facilitator.py" />
            <source>Circle {t}</source>
            <translation>Círculo {t}</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/facilitator.py" />
            <source>This circle has ended.</source>
            <translation>Este círculo ha terminado.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/facilitator.py" />
            <source>That could not be saved; the last saved position is still safe. Try again, or restart circlekeeper and resume.</source>
            <translation>No se pudo guardar; la última posición guardada sigue a salvo. Inténtelo de nuevo, o reinicie circlekeeper y reanude.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/facilitator.py" />
            <source>Undone.</source>
            <translation>Deshecho.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/people_actions.py" />
            <source>Note saved: part of the shared record.</source>
            <translation>Nota guardada: parte del registro compartido.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/people_actions.py" />
            <source>Note saved: private memory aid.</source>
            <translation>Nota guardada: ayuda de memoria privada.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/people_actions.py" />
            <source>Who speaks next?</source>
            <translation>¿Quién habla ahora?</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/people_actions.py" />
            <source>Popcorn order: hand the talking piece to whoever asks for it.</source>
            <translation>Orden de palomitas: entregue la pieza para hablar a quien la pida.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/people_actions.py" />
            <source>{name} (invited)</source>
            <translation>{name} (invitada)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/people_actions.py" />
            <source>Someone joins late</source>
            <translation>Alguien llega tarde</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/people_actions.py" />
            <source>Who has arrived? They sit at the end of the ring and get a turn as the talking piece reaches them.</source>
            <translation>¿Quién llegó? Se sienta al final del círculo y tendrá su turno cuando le llegue la pieza para hablar.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/people_actions.py" />
            <source>{name} joined the circle.</source>
            <translation>{name} se unió al círculo.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/people_actions.py" />
            <source>Someone leaves early</source>
            <translation>Alguien se va antes</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/people_actions.py" />
            <source>Who is leaving? They are taken out of the ring; their turns so far stay.</source>
            <translation>¿Quién se va? Sale del círculo; sus turnos hasta ahora se conservan.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/people_actions.py" />
            <source>{name} left the circle.</source>
            <translation>{name} salió del círculo.</translation>
        </message>
        <message>
            <source>This script has only one language.</source>
            <translation type="vanished">Este guion tiene un solo idioma.</translation>
        </message>
        <message>
            <source>Languages: {shown}</source>
            <translation type="vanished">Idiomas: {shown}</translation>
        </message>
        <message>
            <source>The circle is still running</source>
            <translation type="vanished">El círculo sigue en curso</translation>
        </message>
        <message>
            <source>The circle has not ended. Everything so far is saved; closing pauses it, and you can resume it from Today where it stopped.</source>
            <translation type="vanished">El círculo no ha terminado. Todo lo hecho hasta ahora está guardado; al cerrar, el círculo queda en pausa y puede retomarlo desde Hoy donde se quedó.</translation>
        </message>
        <message>
            <source>&amp;Pause and close</source>
            <translation type="vanished">&amp;Pausar y cerrar</translation>
        </message>
        <message>
            <source>&amp;Keep going</source>
            <translation type="vanished">&amp;Seguir</translation>
        </message>
        <message>
            <source>To end the circle, press Ctrl+W.</source>
            <translation type="vanished">Para terminar el círculo, pulse Ctrl+W.</translation>
        </message>
        <message>
            <source>Both languages</source>
            <translation type="vanished">Ambos idiomas</translation>
        </message>
    </context>
    <context>
        <name>Fidelity</name>
        <message>
            <location filename="../../src/circlekeeper/ui/evaluation/fidelity_dialog.py" />
            <source>An opening was held (reading, breath, silence)</source>
            <translation>Hubo una apertura (lectura, respiración, silencio)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/evaluation/fidelity_dialog.py" />
            <source>The limits of confidentiality were said at the opening</source>
            <translation>En la apertura se dijeron los límites de la confidencialidad</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/evaluation/fidelity_dialog.py" />
            <source>The group named its guidelines</source>
            <translation>El grupo nombró sus pautas</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/evaluation/fidelity_dialog.py" />
            <source>The talking piece was introduced</source>
            <translation>Se presentó la pieza para hablar</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/evaluation/fidelity_dialog.py" />
            <source>Everyone present was invited to speak</source>
            <translation>Se invitó a hablar a todas las personas presentes</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/evaluation/fidelity_dialog.py" />
            <source>Every stage of the script was reached</source>
            <translation>Se llegó a todas las etapas del guion</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/evaluation/fidelity_dialog.py" />
            <source>A closing was held</source>
            <translation>Hubo un cierre</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/evaluation/fidelity_dialog.py" />
            <source>Every participant was prepared beforehand</source>
            <translation>Cada participante se preparó de antemano</translation>
        </message>
    </context>
    <context>
        <name>FidelityDialog</name>
        <message>
            <location filename="../../src/circlekeeper/ui/evaluation/fidelity_dialog.py" />
            <source>Fidelity checklist</source>
            <translation>Lista de verificación de fidelidad</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/evaluation/fidelity_dialog.py" />
            <source>How did it go? — {title}</source>
            <translation>¿Cómo salió? — {title}</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/evaluation/fidelity_dialog.py" />
            <source>Answers from the record are filled in; check each one and answer the rest. Y yes · N no · A not applicable.</source>
            <translation>Las respuestas que constan en el registro ya están llenas; revise cada una y responda las demás. S sí · N no · A no aplica.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/evaluation/fidelity_dialog.py" />
            <source>What the record says</source>
            <translation>Lo que dice el registro</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/evaluation/fidelity_dialog.py" />
            <source>&amp;Anything to remember for next time (optional)</source>
            <translation>&amp;Algo para recordar la próxima vez (opcional)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/evaluation/fidelity_dialog.py" />
            <source>Note for next time</source>
            <translation>Nota para la próxima vez</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/evaluation/fidelity_dialog.py" />
            <source>Checklist status</source>
            <translation>Estado de la lista</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/evaluation/fidelity_dialog.py" />
            <source>&amp;Save checklist</source>
            <translation>&amp;Guardar lista</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/evaluation/fidelity_dialog.py" />
            <source>Save the checklist</source>
            <translation>Guardar la lista de verificación</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/evaluation/fidelity_dialog.py" />
            <source>Close without saving</source>
            <translation>Cerrar sin guardar</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/evaluation/fidelity_dialog.py" />
            <source>Completed on {day} by {who}. Saving again replaces the answers.</source>
            <translation>Completada el {day} por {who}. Si guarda de nuevo, se reemplazan las respuestas.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/evaluation/fidelity_dialog.py" />
            <source>the keeper</source>
            <translation>la persona facilitadora</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/evaluation/fidelity_dialog.py" />
            <source>— choose —</source>
            <translation>— elija —</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/evaluation/fidelity_dialog.py" />
            <source>Yes</source>
            <translation>Sí</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/evaluation/fidelity_dialog.py" />
            <source>No</source>
            <translation>No</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/evaluation/fidelity_dialog.py" />
            <source>A — not applicable</source>
            <translation>A — no aplica</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/evaluation/fidelity_dialog.py" />
            <source>Only you know: answer from memory.</source>
            <translation>Solo usted lo sabe: responda de memoria.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/evaluation/fidelity_dialog.py" />
            <source>From the record: {reason}</source>
            <translation>Según el registro: {reason}</translation>
        </message>
    </context>
    <context>
        <name>FollowUp</name>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/common.py" />
            <source>1 day overdue</source>
            <translation>1 día de retraso</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/common.py" />
            <source>{n} days overdue</source>
            <translation>{n} días de retraso</translation>
        </message>
    </context>
    <context>
        <name>FollowUpDialog</name>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/dialogs.py" />
            <source>Add a follow-up</source>
            <translation>Añadir un seguimiento</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/dialogs.py" />
            <source>Due date</source>
            <translation>Fecha límite</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/dialogs.py" />
            <source>Nobody chosen yet</source>
            <translation>Todavía no se ha elegido a nadie</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/dialogs.py" />
            <source>Responsible adult</source>
            <translation>Persona adulta responsable</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/dialogs.py" />
            <source>C&amp;hoose…</source>
            <translation>E&amp;legir…</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/dialogs.py" />
            <source>Choose the responsible adult</source>
            <translation>Elegir a la persona adulta responsable</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/dialogs.py" />
            <source>What the follow-up is for</source>
            <translation>Para qué es el seguimiento</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/dialogs.py" />
            <source>e.g. Check in with both students</source>
            <translation>p. ej. Hablar con las dos personas estudiantes</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/dialogs.py" />
            <source>Problem with the follow-up</source>
            <translation>Problema con el seguimiento</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/dialogs.py" />
            <source>&amp;Due</source>
            <translation>&amp;Fecha límite</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/dialogs.py" />
            <source>&amp;Purpose</source>
            <translation>&amp;Propósito</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/dialogs.py" />
            <source>&amp;Add follow-up</source>
            <translation>&amp;Añadir seguimiento</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/dialogs.py" />
            <source>Add the follow-up</source>
            <translation>Añadir el seguimiento</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/dialogs.py" />
            <source>Who does the follow-up?</source>
            <translation>¿Quién hace el seguimiento?</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/dialogs.py" />
            <source>Choose the adult who will do the follow-up.</source>
            <translation>Elija a la persona adulta que hará el seguimiento.</translation>
        </message>
    </context>
    <context>
        <name>FollowUpStatus</name>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/common.py" />
            <source>Open</source>
            <translation>Abierto</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/common.py" />
            <source>Done</source>
            <translation>Cumplido</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/common.py" />
            <source>Missed</source>
            <translation>No se realizó</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/common.py" />
            <source>Cancelled</source>
            <translation>Cancelado</translation>
        </message>
    </context>
    <context>
        <name>Grade</name>
        <message>
            <location filename="../../src/circlekeeper/ui/people/labels.py" />
            <source>No grade</source>
            <translation>Sin grado</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/labels.py" />
            <source>PK (pre-kindergarten)</source>
            <translation>PK (prekínder)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/labels.py" />
            <source>TK (transitional kindergarten)</source>
            <translation>TK (kínder de transición)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/labels.py" />
            <source>K (kindergarten)</source>
            <translation>K (kínder)</translation>
        </message>
    </context>
    <context>
        <name>Guard</name>
        <message>
            <location filename="../../src/circlekeeper/ui/security/guard.py" />
            <source>circlekeeper — locked</source>
            <translation>circlekeeper — bloqueado</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/guard.py" />
            <source>A backup copy could not be made just now. Your records are safe; it will be tried again.</source>
            <translation>No se pudo hacer una copia de seguridad en este momento. Sus registros están a salvo; se volverá a intentar.</translation>
        </message>
    </context>
    <context>
        <name>GuardianLinks</name>
        <message>
            <location filename="../../src/circlekeeper/ui/people/guardian_links.py" />
            <source>{guardian} (linked when you save)</source>
            <translation>{guardian} (se vinculará al guardar)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/guardian_links.py" />
            <source>No guardians linked yet.</source>
            <translation>Todavía no hay tutores vinculados.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/guardian_links.py" />
            <source>the database did not answer</source>
            <translation>la base de datos no respondió</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/guardian_links.py" />
            <source>The person was saved, but a guardian link was not: {problem} Fix it below and press Save again, or Cancel to keep what is saved.</source>
            <translation>La persona se guardó, pero el vínculo con un tutor no: {problem} Corríjalo abajo y pulse Guardar de nuevo, o Cancelar para quedarse con lo guardado.</translation>
        </message>
    </context>
    <context>
        <name>GuardianPicker</name>
        <message>
            <location filename="../../src/circlekeeper/ui/people/guardian_picker.py" />
            <source>Link a guardian</source>
            <translation>Vincular a una madre, padre o tutor</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/guardian_picker.py" />
            <source>Type part of the guardian's name</source>
            <translation>Escriba parte del nombre de la madre, el padre o tutor</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/guardian_picker.py" />
            <source>Search for a guardian</source>
            <translation>Buscar a una madre, padre o tutor</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/guardian_picker.py" />
            <source>Matching people</source>
            <translation>Personas que coinciden</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/guardian_picker.py" />
            <source>&amp;New guardian…</source>
            <translation>&amp;Nueva madre, padre o tutor…</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/guardian_picker.py" />
            <source>Add a new guardian</source>
            <translation>Añadir una nueva madre, padre o tutor</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/guardian_picker.py" />
            <source>e.g. Mother, Grandfather, Foster parent</source>
            <translation>p. ej. Madre, Abuelo, Familia de acogida</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/guardian_picker.py" />
            <source>Relationship to the student</source>
            <translation>Parentesco con la persona estudiante</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/guardian_picker.py" />
            <source>Can give &amp;consent for this student</source>
            <translation>Puede dar su &amp;consentimiento para esta persona estudiante</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/guardian_picker.py" />
            <source>Can give consent for this student</source>
            <translation>Puede dar su consentimiento para esta persona estudiante</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/guardian_picker.py" />
            <source>Link</source>
            <translation>Vincular</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/guardian_picker.py" />
            <source>Link the selected person as guardian</source>
            <translation>Vincular a la persona seleccionada como madre, padre o tutor</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/guardian_picker.py" />
            <source>Cancel</source>
            <translation>Cancelar</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/guardian_picker.py" />
            <source>&amp;Relationship</source>
            <translation>&amp;Parentesco</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/guardian_picker.py" />
            <source>Find the guardian if they are already listed, or add them.</source>
            <translation>Busque a la madre, el padre o tutor si ya está en la lista, o añádalo.</translation>
        </message>
    </context>
    <context>
        <name>HandOffDialog</name>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/handoffs.py" />
            <source>Hand the case off</source>
            <translation>Derivar el caso</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/handoffs.py" />
            <source>Handed to</source>
            <translation>Derivado a</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/handoffs.py" />
            <source>Who received it</source>
            <translation>Quién lo recibió</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/handoffs.py" />
            <source>Name and role, e.g. Ms. Patel, team lead</source>
            <translation>Nombre y función, p. ej. Sra. Patel, coordinadora del equipo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/handoffs.py" />
            <source>Date handed off</source>
            <translation>Fecha de la derivación</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/handoffs.py" />
            <source>What was shared</source>
            <translation>Qué se compartió</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/handoffs.py" />
            <source>e.g. the referral and the incident date</source>
            <translation>p. ej. la remisión y la fecha del incidente</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/handoffs.py" />
            <source>FERPA basis for sharing</source>
            <translation>Base legal (FERPA) para compartir</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/handoffs.py" />
            <source>Choose the basis…</source>
            <translation>Elija la base…</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/handoffs.py" />
            <source>The threat (for a health or safety emergency)</source>
            <translation>La amenaza (en una emergencia de salud o seguridad)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/handoffs.py" />
            <source>Hand-off problem</source>
            <translation>Problema con la derivación</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/handoffs.py" />
            <source>Handed &amp;to</source>
            <translation>Derivado &amp;a</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/handoffs.py" />
            <source>&amp;Received by</source>
            <translation>&amp;Recibido por</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/handoffs.py" />
            <source>&amp;On</source>
            <translation>&amp;El</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/handoffs.py" />
            <source>What was &amp;shared</source>
            <translation>Qué se &amp;compartió</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/handoffs.py" />
            <source>FERPA &amp;basis</source>
            <translation>&amp;Base según FERPA</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/handoffs.py" />
            <source>T&amp;hreat (emergency)</source>
            <translation>A&amp;menaza (emergencia)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/handoffs.py" />
            <source>Each student in the case gets a line in their record of disclosures, which their family may ask to see.</source>
            <translation>Cada estudiante del caso recibe una línea en su registro de divulgaciones, que su familia puede pedir ver.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/handoffs.py" />
            <source>&amp;Hand off</source>
            <translation>&amp;Derivar</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/handoffs.py" />
            <source>Save the hand-off</source>
            <translation>Guardar la derivación</translation>
        </message>
    </context>
    <context>
        <name>HandOffSection</name>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/handoffs.py" />
            <source>Hand-offs</source>
            <translation>Derivaciones</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/handoffs.py" />
            <source>Hand-offs of this case</source>
            <translation>Derivaciones de este caso</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/handoffs.py" />
            <source>On</source>
            <translation>El</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/handoffs.py" />
            <source>To</source>
            <translation>A</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/handoffs.py" />
            <source>Received by</source>
            <translation>Recibido por</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/handoffs.py" />
            <source>Basis</source>
            <translation>Base</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/handoffs.py" />
            <source>Back</source>
            <translation>Regreso</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/handoffs.py" />
            <source>Hand &amp;off…</source>
            <translation>Deriv&amp;ar…</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/handoffs.py" />
            <source>Hand the case to BTAM, Title IX, child protection, mental health or police</source>
            <translation>Derivar el caso a BTAM, Título IX, protección infantil, salud mental o la policía</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/handoffs.py" />
            <source>Bring bac&amp;k…</source>
            <translation>Reto&amp;mar…</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/handoffs.py" />
            <source>Bring the selected hand-off back</source>
            <translation>Retomar la derivación seleccionada</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/handoffs.py" />
            <source>Record of disclos&amp;ures…</source>
            <translation>Registro de &amp;divulgaciones…</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/handoffs.py" />
            <source>A student's record of disclosures, to view or print</source>
            <translation>El registro de divulgaciones de una persona estudiante, para ver o imprimir</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/handoffs.py" />
            <source>Hand-off result</source>
            <translation>Resultado de la derivación</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/handoffs.py" />
            <source>Not yet</source>
            <translation>Todavía no</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/handoffs.py" />
            <source>{day}{circle}</source>
            <translation>{day}{circle}</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/handoffs.py" />
            <source>, re-entry circle planned</source>
            <translation>, círculo de reintegración planificado</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/handoffs.py" />
            <source>Shared: {what}</source>
            <translation>Se compartió: {what}</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/handoffs.py" />
            <source>Handed off; written in the record of disclosures.</source>
            <translation>Derivado; anotado en el registro de divulgaciones.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/handoffs.py" />
            <source>Back from the hand-off; a re-entry circle is planned.</source>
            <translation>De regreso de la derivación; hay un círculo de reintegración planificado.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/handoffs.py" />
            <source>Back from the hand-off.</source>
            <translation>De regreso de la derivación.</translation>
        </message>
        <message>
            <source>Record of &amp;disclosures…</source>
            <translation type="vanished">Registro de &amp;divulgaciones…</translation>
        </message>
    </context>
    <context>
        <name>HistoryDialog</name>
        <message>
            <location filename="../../src/circlekeeper/ui/security/history.py" />
            <source>History of {record}</source>
            <translation>Historial de {record}</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/history.py" />
            <source>The history could not be read just now.</source>
            <translation>No se pudo leer el historial en este momento.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/history.py" />
            <source>Changes, oldest first</source>
            <translation>Cambios, del más antiguo al más reciente</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/history.py" />
            <source>When</source>
            <translation>Cuándo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/history.py" />
            <source>Who</source>
            <translation>Quién</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/history.py" />
            <source>What</source>
            <translation>Qué</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/history.py" />
            <source>(not recorded)</source>
            <translation>(sin registrar)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/history.py" />
            <source>Close</source>
            <translation>Cerrar</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/history.py" />
            <source>No changes have been recorded for this record yet. Changes saved from now on will be listed here, with who saved them.</source>
            <translation>Todavía no se ha registrado ningún cambio de este registro. Los cambios que se guarden a partir de ahora aparecerán aquí, con quién los guardó.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/history.py" />
            <source>Every change saved to this record, and who saved it. This list cannot be edited.</source>
            <translation>Cada cambio guardado en este registro, y quién lo guardó. Esta lista no se puede editar.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/history.py" />
            <source>Added</source>
            <translation>Añadido</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/history.py" />
            <source>Changed</source>
            <translation>Cambiado</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/history.py" />
            <source>Deleted</source>
            <translation>Eliminado</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/history.py" />
            <source>Archived</source>
            <translation>Archivado</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/history.py" />
            <source>Brought back from the archive</source>
            <translation>Recuperado del archivo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/history.py" />
            <source>{field} {old} → {new}</source>
            <translation>{field} {old} → {new}</translation>
        </message>
    </context>
    <context>
        <name>IncidentTypesDialog</name>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/incident_types.py" />
            <source>Incident types</source>
            <translation>Tipos de incidente</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/incident_types.py" />
            <source>Reports count each referral as the SWIS problem behaviour of its type. Types marked “To map” came from words typed at intake: choose what they count as.</source>
            <translation>Los informes cuentan cada remisión como la conducta problemática de SWIS de su tipo. Los tipos marcados «Por asignar» vienen de palabras escritas en la remisión: elija a qué equivalen.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/incident_types.py" />
            <source>Type</source>
            <translation>Tipo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/incident_types.py" />
            <source>SWIS problem behaviour</source>
            <translation>Conducta problemática SWIS</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/incident_types.py" />
            <source>Level</source>
            <translation>Nivel</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/incident_types.py" />
            <source>State category</source>
            <translation>Categoría estatal</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/incident_types.py" />
            <source>Status</source>
            <translation>Estado</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/incident_types.py" />
            <source>Incident type columns</source>
            <translation>Columnas de tipos de incidente</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/incident_types.py" />
            <source>SWIS problem behaviour of the selected type</source>
            <translation>Conducta problemática SWIS del tipo seleccionado</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/incident_types.py" />
            <source>Major</source>
            <translation>Mayor</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/incident_types.py" />
            <source>Minor</source>
            <translation>Menor</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/incident_types.py" />
            <source>SWIS level of the selected type</source>
            <translation>Nivel SWIS del tipo seleccionado</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/incident_types.py" />
            <source>Only if your state asks for one</source>
            <translation>Solo si su estado lo pide</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/incident_types.py" />
            <source>State reporting category</source>
            <translation>Categoría de informe estatal</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/incident_types.py" />
            <source>Name in Spanish</source>
            <translation>Nombre en español</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/incident_types.py" />
            <source>&amp;Save what it counts as</source>
            <translation>&amp;Guardar a qué equivale</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/incident_types.py" />
            <source>Save the mapping of the selected type</source>
            <translation>Guardar la equivalencia del tipo seleccionado</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/incident_types.py" />
            <source>Incident types: last change</source>
            <translation>Tipos de incidente: último cambio</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/incident_types.py" />
            <source>SWIS &amp;behaviour</source>
            <translation>&amp;Conducta SWIS</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/incident_types.py" />
            <source>&amp;Level</source>
            <translation>&amp;Nivel</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/incident_types.py" />
            <source>S&amp;tate category</source>
            <translation>Categoría es&amp;tatal</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/incident_types.py" />
            <source>Name in S&amp;panish</source>
            <translation>Nombre en es&amp;pañol</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/incident_types.py" />
            <source>Close</source>
            <translation>Cerrar</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/incident_types.py" />
            <source>The selected type</source>
            <translation>El tipo seleccionado</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/incident_types.py" />
            <source>To map</source>
            <translation>Por asignar</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/incident_types.py" />
            <source>Mapped</source>
            <translation>Asignado</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/incident_types.py" />
            <source>Choose a type in the list first.</source>
            <translation>Primero elija un tipo de la lista.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/incident_types.py" />
            <source>“{name}” now counts as {behaviour} ({level}).</source>
            <translation>«{name}» ahora cuenta como {behaviour} ({level}).</translation>
        </message>
    </context>
    <context>
        <name>IntakeDialog</name>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/intake.py" />
            <source>New referral</source>
            <translation>Nueva remisión</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/intake.py" />
            <source>Date of the referral</source>
            <translation>Fecha de la remisión</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/intake.py" />
            <source>Who referred (source)</source>
            <translation>Quién hizo la remisión (origen)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/intake.py" />
            <source>Not named</source>
            <translation>Sin nombre</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/intake.py" />
            <source>Person who referred</source>
            <translation>Persona que hizo la remisión</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/intake.py" />
            <source>C&amp;hoose…</source>
            <translation>E&amp;legir…</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/intake.py" />
            <source>Choose the person who referred</source>
            <translation>Elegir a la persona que hizo la remisión</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/intake.py" />
            <source>Incident category</source>
            <translation>Categoría del incidente</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/intake.py" />
            <source>Pick from the list or type your own words</source>
            <translation>Elija de la lista o escriba sus propias palabras</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/intake.py" />
            <source>Not known</source>
            <translation>Se desconoce</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/intake.py" />
            <source>Date of the incident</source>
            <translation>Fecha del incidente</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/intake.py" />
            <source>e.g. Cafeteria, Room 12, bus 4</source>
            <translation>p. ej. Cafetería, Salón 12, autobús 4</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/intake.py" />
            <source>Where it happened</source>
            <translation>Dónde ocurrió</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/intake.py" />
            <source>Time of day of the incident</source>
            <translation>Momento del día del incidente</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/intake.py" />
            <source>What happened, as reported</source>
            <translation>Lo que pasó, según se informó</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/intake.py" />
            <source>Description of what happened</source>
            <translation>Descripción de lo que pasó</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/intake.py" />
            <source>Find a person involved</source>
            <translation>Buscar a una persona involucrada</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/intake.py" />
            <source>Role of the person to add</source>
            <translation>Papel de la persona que se añade</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/intake.py" />
            <source>&amp;Add to the referral</source>
            <translation>&amp;Añadir a la remisión</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/intake.py" />
            <source>Add the highlighted person with this role</source>
            <translation>Añadir a la persona resaltada con este papel</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/intake.py" />
            <source>People involved</source>
            <translation>Personas involucradas</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/intake.py" />
            <source>Person</source>
            <translation>Persona</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/intake.py" />
            <source>Role</source>
            <translation>Papel</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/intake.py" />
            <source>People involved: columns</source>
            <translation>Personas involucradas: columnas</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/intake.py" />
            <source>Re&amp;move</source>
            <translation>&amp;Quitar</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/intake.py" />
            <source>Remove the selected person from the list</source>
            <translation>Quitar de la lista a la persona seleccionada</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/intake.py" />
            <source>Problem with the referral</source>
            <translation>Problema con la remisión</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/intake.py" />
            <source>&amp;Save referral</source>
            <translation>&amp;Guardar remisión</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/intake.py" />
            <source>Save the referral</source>
            <translation>Guardar la remisión</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/intake.py" />
            <source>Cancel</source>
            <translation>Cancelar</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/intake.py" />
            <source>&amp;Referral date</source>
            <translation>&amp;Fecha de la remisión</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/intake.py" />
            <source>Referred &amp;by</source>
            <translation>Remitido &amp;por</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/intake.py" />
            <source>Incident &amp;category</source>
            <translation>&amp;Categoría del incidente</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/intake.py" />
            <source>&amp;Incident date</source>
            <translation>Fecha del &amp;incidente</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/intake.py" />
            <source>&amp;Time of day</source>
            <translation>&amp;Momento del día</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/intake.py" />
            <source>&amp;Place</source>
            <translation>Luga&amp;r</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/intake.py" />
            <source>&amp;Description</source>
            <translation>&amp;Descripción</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/intake.py" />
            <source>Named person</source>
            <translation>Persona con nombre</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/intake.py" />
            <source>as</source>
            <translation>como</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/intake.py" />
            <source>Who made the referral?</source>
            <translation>¿Quién hizo la remisión?</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/intake.py" />
            <source>Person who referred: {name}</source>
            <translation>Persona que hizo la remisión: {name}</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/intake.py" />
            <source>{name} is already listed; give them one role.</source>
            <translation>{name} ya está en la lista; asígnele un solo papel.</translation>
        </message>
        <message>
            <source>&amp;Remove</source>
            <translation type="vanished">&amp;Quitar</translation>
        </message>
    </context>
    <context>
        <name>ItemDialog</name>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/item_dialog.py" />
            <source>Agreement item</source>
            <translation>Compromiso del acuerdo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/item_dialog.py" />
            <source>Problem with this item</source>
            <translation>Problema con este compromiso</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/item_dialog.py" />
            <source>What will be done (required)</source>
            <translation>Lo que se hará (obligatorio)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/item_dialog.py" />
            <source>In the group's own words; replace anything in [brackets].</source>
            <translation>Con las palabras del propio grupo; reemplace todo lo que esté entre [corchetes].</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/item_dialog.py" />
            <source>Kind of item</source>
            <translation>Tipo de compromiso</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/item_dialog.py" />
            <source>— choose who —</source>
            <translation>— elija quién —</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/item_dialog.py" />
            <source>Who does it</source>
            <translation>Quién lo cumple</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/item_dialog.py" />
            <source>By a date</source>
            <translation>Para una fecha</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/item_dialog.py" />
            <source>Has a date it is due by</source>
            <translation>Tiene una fecha límite</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/item_dialog.py" />
            <source>Due by</source>
            <translation>Fecha límite</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/item_dialog.py" />
            <source>How it will be checked</source>
            <translation>Cómo se verificará</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/item_dialog.py" />
            <source>What will be done, in Spanish</source>
            <translation>Lo que se hará, en español</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/item_dialog.py" />
            <source>The same item in Spanish, for a Spanish or side-by-side copy.</source>
            <translation>El mismo compromiso en español, para una copia en español o en dos columnas.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/item_dialog.py" />
            <source>How it will be checked, in Spanish</source>
            <translation>Cómo se verificará, en español</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/item_dialog.py" />
            <source>Blanks still to fill in</source>
            <translation>Espacios por completar</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/item_dialog.py" />
            <source>— the follow-up adult —</source>
            <translation>— la persona adulta del seguimiento —</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/item_dialog.py" />
            <source>Checked by</source>
            <translation>Verificado por</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/item_dialog.py" />
            <source>— nobody —</source>
            <translation>— nadie —</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/item_dialog.py" />
            <source>Supported by</source>
            <translation>Con el apoyo de</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/item_dialog.py" />
            <source>Wh&amp;at will be done:</source>
            <translation>&amp;Lo que se hará:</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/item_dialog.py" />
            <source>&amp;Kind:</source>
            <translation>&amp;Tipo:</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/item_dialog.py" />
            <source>&amp;Who does it:</source>
            <translation>&amp;Quién lo cumple:</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/item_dialog.py" />
            <source>By &amp;when:</source>
            <translation>&amp;Para cuándo:</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/item_dialog.py" />
            <source>How it is &amp;checked:</source>
            <translation>Cómo se &amp;verifica:</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/item_dialog.py" />
            <source>Checked b&amp;y:</source>
            <translation>Verificado p&amp;or:</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/item_dialog.py" />
            <source>&amp;Supported by:</source>
            <translation>Con el &amp;apoyo de:</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/item_dialog.py" />
            <source>In S&amp;panish:</source>
            <translation>En &amp;español:</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/item_dialog.py" />
            <source>Checked (Spa&amp;nish):</source>
            <translation>Verifica&amp;ción (español):</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/item_dialog.py" />
            <source>Save item</source>
            <translation>Guardar compromiso</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/item_dialog.py" />
            <source>Cancel</source>
            <translation>Cancelar</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/item_dialog.py" />
            <source>{left}. Replace each highlighted word in square brackets with what was agreed; the agreement cannot be made active or printed for signing until then.</source>
            <translation>{left}. Reemplace cada palabra resaltada entre corchetes por lo que se acordó; hasta entonces, el acuerdo no se puede activar ni imprimir para firmar.</translation>
        </message>
    </context>
    <context>
        <name>ItemKind</name>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/labels.py" />
            <source>Apology</source>
            <translation>Disculpa</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/labels.py" />
            <source>Restitution</source>
            <translation>Restitución</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/labels.py" />
            <source>Service hours</source>
            <translation>Horas de servicio</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/labels.py" />
            <source>Counselling or workshop</source>
            <translation>Consejería o taller</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/labels.py" />
            <source>Behaviour commitment</source>
            <translation>Compromiso de conducta</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/labels.py" />
            <source>Support from the school</source>
            <translation>Apoyo de la escuela</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/labels.py" />
            <source>Other</source>
            <translation>Otro</translation>
        </message>
    </context>
    <context>
        <name>Language</name>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/labels.py" />
            <source>English</source>
            <translation>English (inglés)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/labels.py" />
            <source>Español (Spanish)</source>
            <translation>Español</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/labels.py" />
            <source>English and Spanish side by side</source>
            <translation>Inglés y español, lado a lado</translation>
        </message>
    </context>
    <context>
        <name>LanguageChange</name>
        <message>
            <location filename="../../src/circlekeeper/ui/language_change.py" />
            <source>Close the open windows?</source>
            <translation>¿Cerrar las ventanas abiertas?</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/language_change.py" />
            <source>To change the language, these windows close; everything in them is already saved, and you can open them again:

{titles}</source>
            <translation>Para cambiar el idioma, estas ventanas se cierran; todo lo que contienen ya está guardado y puede volver a abrirlas:

{titles}</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/language_change.py" />
            <source>Close them and change</source>
            <translation>Cerrarlas y cambiar</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/language_change.py" />
            <source>Keep them open</source>
            <translation>Dejarlas abiertas</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/language_change.py" />
            <source>Save your changes first</source>
            <translation>Guarde primero sus cambios</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/language_change.py" />
            <source>There are unsaved changes in {areas}. Save or undo them, then choose the language again. Nothing was changed.</source>
            <translation>Hay cambios sin guardar en {areas}. Guárdelos o deshágalos y vuelva a elegir el idioma. No se cambió nada.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/language_change.py" />
            <source>A circle is running</source>
            <translation>Hay un círculo en curso</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/language_change.py" />
            <source>The language changes once the circle is paused or ended, so its window stays as it is. Choose the language again afterwards. Nothing was changed.</source>
            <translation>El idioma cambia cuando el círculo esté en pausa o haya terminado, así que su ventana se queda como está. Vuelva a elegir el idioma después. No se cambió nada.</translation>
        </message>
    </context>
    <context>
        <name>LanguageSection</name>
        <message>
            <location filename="../../src/circlekeeper/ui/language_section.py" />
            <source>Language of circlekeeper</source>
            <translation>Idioma de circlekeeper</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/language_section.py" />
            <source>Follow the computer (English or Español)</source>
            <translation>El de esta computadora (English o Español)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/language_section.py" />
            <source>Language status</source>
            <translation>Estado del idioma</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/language_section.py" />
            <source>&amp;Language</source>
            <translation>&amp;Idioma</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/language_section.py" />
            <source>Language</source>
            <translation>Idioma</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/language_section.py" />
            <source>The language of the screens on this computer. It changes at once. Agreements, letters and reports choose their own language when saved or printed.</source>
            <translation>El idioma de las pantallas en esta computadora. Cambia al instante. Los acuerdos, las cartas y los informes eligen su propio idioma al guardarse o imprimirse.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/language_section.py" />
            <source>The choice could not be saved for the next start; it applies now. Check that the data folder can be written to.</source>
            <translation>No se pudo guardar la elección para el próximo inicio; se aplica ahora. Compruebe que se pueda escribir en la carpeta de datos.</translation>
        </message>
    </context>
    <context>
        <name>LapseReviewDialog</name>
        <message>
            <location filename="../../src/circlekeeper/ui/today/lapse_review.py" />
            <source>Review long-overdue follow-ups</source>
            <translation>Revisar los seguimientos muy atrasados</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/today/lapse_review.py" />
            <source>These follow-ups are more than {days} days past their date and nothing was recorded. Closing one as lapsed records it as missed, with a note that it lapsed, and takes it off Today. Nothing else is changed, and any of them can be reopened later from its case.</source>
            <translation>Estos seguimientos pasaron su fecha hace más de {days} días y no se registró nada. Cerrar uno como caducado lo registra como no realizado, con una nota de que caducó, y lo quita de Hoy. No se cambia nada más, y cualquiera de ellos se puede reabrir después desde su caso.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/today/lapse_review.py" />
            <source>What closing as lapsed does</source>
            <translation>Qué hace cerrar como caducado</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/today/lapse_review.py" />
            <source>Long-overdue follow-ups to review</source>
            <translation>Seguimientos muy atrasados para revisar</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/today/lapse_review.py" />
            <source>How many are chosen</source>
            <translation>Cuántos están elegidos</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/today/lapse_review.py" />
            <source>Follow-ups not listed</source>
            <translation>Seguimientos que no aparecen en la lista</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/today/lapse_review.py" />
            <source>1 more is not listed here; it comes up in the next review.</source>
            <translation>1 más no aparece aquí; saldrá en la próxima revisión.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/today/lapse_review.py" />
            <source>{count} more are not listed here; they come up in the next review.</source>
            <translation>{count} más no aparecen aquí; saldrán en la próxima revisión.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/today/lapse_review.py" />
            <source>Review result</source>
            <translation>Resultado de la revisión</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/today/lapse_review.py" />
            <source>Choose &amp;all</source>
            <translation>Elegir &amp;todos</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/today/lapse_review.py" />
            <source>Choose every follow-up in the list</source>
            <translation>Elegir todos los seguimientos de la lista</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/today/lapse_review.py" />
            <source>Choose &amp;none</source>
            <translation>No elegir &amp;ninguno</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/today/lapse_review.py" />
            <source>Choose no follow-up in the list</source>
            <translation>No elegir ningún seguimiento de la lista</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/today/lapse_review.py" />
            <source>Cancel</source>
            <translation>Cancelar</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/today/lapse_review.py" />
            <source>Close this review without changing anything</source>
            <translation>Cerrar esta revisión sin cambiar nada</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/today/lapse_review.py" />
            <source>Follow-up</source>
            <translation>Seguimiento</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/today/lapse_review.py" />
            <source>nobody named</source>
            <translation>sin persona asignada</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/today/lapse_review.py" />
            <source>Due {due} — {what} ({who})</source>
            <translation>Vencía el {due} — {what} ({who})</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/today/lapse_review.py" />
            <source>1 of {total} chosen</source>
            <translation>1 de {total} elegido</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/today/lapse_review.py" />
            <source>{count} of {total} chosen</source>
            <translation>{count} de {total} elegidos</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/today/lapse_review.py" />
            <source>Close the chosen one as &amp;lapsed</source>
            <translation>Cerrar el elegido como &amp;caducado</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/today/lapse_review.py" />
            <source>Close the {count} chosen as &amp;lapsed</source>
            <translation>Cerrar los {count} elegidos como &amp;caducados</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/today/lapse_review.py" />
            <source>Close the chosen follow-ups as lapsed</source>
            <translation>Cerrar como caducados los seguimientos elegidos</translation>
        </message>
    </context>
    <context>
        <name>ListFilterBar</name>
        <message>
            <location filename="../../src/circlekeeper/ui/list_filters.py" />
            <source>Search</source>
            <translation>Buscar</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/list_filters.py" />
            <source>School year</source>
            <translation>Año escolar</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/list_filters.py" />
            <source>Incident type</source>
            <translation>Tipo de incidente</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/list_filters.py" />
            <source>School</source>
            <translation>Escuela</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/list_filters.py" />
            <source>Order of the list</source>
            <translation>Orden de la lista</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/list_filters.py" />
            <source>Sea&amp;rch:</source>
            <translation>Bu&amp;scar:</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/list_filters.py" />
            <source>School &amp;year:</source>
            <translation>Año &amp;escolar:</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/list_filters.py" />
            <source>Inci&amp;dent type:</source>
            <translation>Tipo de inci&amp;dente:</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/list_filters.py" />
            <source>Schoo&amp;l:</source>
            <translation>Escue&amp;la:</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/list_filters.py" />
            <source>Every school year</source>
            <translation>Todos los años escolares</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/list_filters.py" />
            <source>Every incident type</source>
            <translation>Todos los tipos de incidente</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/list_filters.py" />
            <source>Every school</source>
            <translation>Todas las escuelas</translation>
        </message>
    </context>
    <context>
        <name>LockCover</name>
        <message>
            <location filename="../../src/circlekeeper/ui/security/guard.py" />
            <source>circlekeeper is locked</source>
            <translation>circlekeeper está bloqueado</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/guard.py" />
            <source>Paused for a moment.</source>
            <translation>En pausa por un momento.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/guard.py" />
            <source>The records are hidden. Type the passphrase to go on.</source>
            <translation>Los registros están ocultos. Escriba la frase de acceso para continuar.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/guard.py" />
            <source>The records are hidden. Type your PIN to go on.</source>
            <translation>Los registros están ocultos. Escriba su PIN para continuar.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/guard.py" />
            <source>The records are hidden. No passphrase is set for this database, so Unlock opens it; set one in Settings → Protection.</source>
            <translation>Los registros están ocultos. Esta base de datos no tiene frase de acceso, así que Desbloquear la abre; fije una en Configuración → Protección.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/guard.py" />
            <source>PIN to unlock</source>
            <translation>PIN para desbloquear</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/guard.py" />
            <source>PIN</source>
            <translation>PIN</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/guard.py" />
            <source>Passphrase to unlock</source>
            <translation>Frase de acceso para desbloquear</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/guard.py" />
            <source>Passphrase</source>
            <translation>Frase de acceso</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/guard.py" />
            <source>&amp;Unlock</source>
            <translation>&amp;Desbloquear</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/guard.py" />
            <source>Unlock</source>
            <translation>Desbloquear</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/guard.py" />
            <source>Unlock message</source>
            <translation>Mensaje de desbloqueo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/guard.py" />
            <source>That PIN is not right. Try again.</source>
            <translation>Ese PIN no es correcto. Inténtelo de nuevo.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/guard.py" />
            <source>That passphrase is not right. Check the Caps Lock key and try again.</source>
            <translation>Esa frase de acceso no es correcta. Revise la tecla Bloq Mayús e inténtelo de nuevo.</translation>
        </message>
    </context>
    <context>
        <name>MainWindow</name>
        <message>
            <location filename="../../src/circlekeeper/ui/main_window.py" />
            <source>circlekeeper</source>
            <translation>circlekeeper</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/main_window.py" />
            <source>Areas</source>
            <translation>Áreas</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/main_window.py" />
            <source>Current area</source>
            <translation>Área actual</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/main_window.py" />
            <source>Opening your records…</source>
            <translation>Abriendo sus registros…</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/main_window.py" />
            <source>Opening your records</source>
            <translation>Abriendo sus registros</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/main_window.py" />
            <source>Active profile</source>
            <translation>Perfil activo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/main_window.py" />
            <source>{area} (Ctrl+{number})</source>
            <translation>{area} (Ctrl+{number})</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/main_window.py" />
            <source>Today</source>
            <translation>Hoy</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/main_window.py" />
            <source>Cases</source>
            <translation>Casos</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/main_window.py" />
            <source>People</source>
            <translation>Personas</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/main_window.py" />
            <source>Circles</source>
            <translation>Círculos</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/main_window.py" />
            <source>Scripts</source>
            <translation>Guiones</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/main_window.py" />
            <source>Agreements</source>
            <translation>Acuerdos</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/main_window.py" />
            <source>Reports</source>
            <translation>Informes</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/main_window.py" />
            <source>SRO log</source>
            <translation>Registro del SRO</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/main_window.py" />
            <source>Settings</source>
            <translation>Configuración</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/main_window.py" />
            <source>circlekeeper — {file}</source>
            <translation>circlekeeper — {file}</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/main_window.py" />
            <source>Demo data is already there</source>
            <translation>Los datos de demostración ya están ahí</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/main_window.py" />
            <source>A demo database was made earlier ({file}). Open it? Its fictional records are kept as they are.</source>
            <translation>Ya se creó una base de datos de demostración ({file}). ¿Abrirla? Sus registros ficticios se conservan tal como están.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/main_window.py" />
            <source>Demo data not available</source>
            <translation>No hay datos de demostración</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/main_window.py" />
            <source>This copy of circlekeeper has no demo data. You can start empty.</source>
            <translation>Esta copia de circlekeeper no tiene datos de demostración. Puede empezar sin datos.</translation>
        </message>
        <message>
            <source>Save your changes first</source>
            <translation type="vanished">Primero guarde sus cambios</translation>
        </message>
        <message>
            <source>There are unsaved changes in {areas}. Save or undo them, then choose the language again. Nothing was changed.</source>
            <translation type="vanished">Hay cambios sin guardar en {areas}. Guárdelos o deshágalos y vuelva a elegir el idioma. No se cambió nada.</translation>
        </message>
    </context>
    <context>
        <name>MergeDialog</name>
        <message>
            <location filename="../../src/circlekeeper/ui/security/merging.py" />
            <source>Merge another laptop's database</source>
            <translation>Combinar la base de datos de otra computadora</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/merging.py" />
            <source>Reading what the merge would change…</source>
            <translation>Leyendo lo que cambiaría la combinación…</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/merging.py" />
            <source>Merge status</source>
            <translation>Estado de la combinación</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/merging.py" />
            <source>Keep the newer change (the usual rule)</source>
            <translation>Quedarse con el cambio más reciente (la regla habitual)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/merging.py" />
            <source>Keep this database's change</source>
            <translation>Quedarse con el cambio de esta base de datos</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/merging.py" />
            <source>Take the other laptop's change</source>
            <translation>Tomar el cambio de la otra computadora</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/merging.py" />
            <source>When a record was edited on both laptops</source>
            <translation>Cuando un registro se editó en las dos computadoras</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/merging.py" />
            <source>When a record was edited on &amp;both laptops:</source>
            <translation>Cuando un registro se editó en las &amp;dos computadoras:</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/merging.py" />
            <source>What the merge changes</source>
            <translation>Lo que cambia la combinación</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/merging.py" />
            <source>&amp;Merge</source>
            <translation>&amp;Combinar</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/merging.py" />
            <source>Merge</source>
            <translation>Combinar</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/merging.py" />
            <source>Close</source>
            <translation>Cerrar</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/merging.py" />
            <source>Nothing has been written yet. Below is exactly what merging {file} would change here. Press Merge to do it, all at once: if it is interrupted, nothing is half-merged.</source>
            <translation>Todavía no se ha escrito nada. Abajo está exactamente lo que cambiaría aquí combinar {file}. Pulse Combinar para hacerlo todo de una vez: si se interrumpe, nada queda combinado a medias.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/merging.py" />
            <source>This database already has everything in that file.</source>
            <translation>Esta base de datos ya tiene todo lo que hay en ese archivo.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/merging.py" />
            <source>Read the changes below, then press Merge.</source>
            <translation>Lea los cambios de abajo y luego pulse Combinar.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/merging.py" />
            <source>Merging… (this can take a minute for a whole school year)</source>
            <translation>Combinando… (con un año escolar completo puede tardar un minuto)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/merging.py" />
            <source>Merged. The changes below are saved.</source>
            <translation>Combinado. Los cambios de abajo están guardados.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/merging.py" />
            <source>The merge stopped on an unexpected problem; nothing was changed. The details are in the log (Settings, About).</source>
            <translation>La combinación se detuvo por un problema inesperado; no se cambió nada. Los detalles están en el registro (Configuración, Acerca de).</translation>
        </message>
    </context>
    <context>
        <name>MergeSection</name>
        <message>
            <location filename="../../src/circlekeeper/ui/security/merging.py" />
            <source>Merge another laptop</source>
            <translation>Combinar otra computadora</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/merging.py" />
            <source>Merge another laptop's database…</source>
            <translation>Combinar la base de datos de otra computadora…</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/merging.py" />
            <source>Merge another laptop's database</source>
            <translation>Combinar la base de datos de otra computadora</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/merging.py" />
            <source>Merge message</source>
            <translation>Mensaje de la combinación</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/merging.py" />
            <source>Bring another counselor's records into this database: a copy of their laptop's file. The same student on both is recognised by student ID. You see every change before anything is written.</source>
            <translation>Traiga a esta base de datos los registros de otro consejero: una copia del archivo de su computadora. Si el mismo estudiante está en las dos, se reconoce por su ID de estudiante. Verá cada cambio antes de que se escriba nada.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/merging.py" />
            <source>Choose the other laptop's database</source>
            <translation>Elija la base de datos de la otra computadora</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/merging.py" />
            <source>circlekeeper databases (*.sqlite3 *.db);;All files (*)</source>
            <translation>Bases de datos de circlekeeper (*.sqlite3 *.db);;Todos los archivos (*)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/merging.py" />
            <source>The other laptop's records in {file} are protected with a passphrase. Type it to read them; nothing there is changed.</source>
            <translation>Los registros de la otra computadora en {file} están protegidos con una frase de acceso. Escríbala para leerlos; no se cambia nada allí.</translation>
        </message>
        <message>
            <source>Merge another laptop's &amp;database…</source>
            <translation type="vanished">Combinar la base de &amp;datos de otra computadora…</translation>
        </message>
    </context>
    <context>
        <name>Minutes</name>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/labels.py" />
            <source>no suggested time</source>
            <translation>sin tiempo sugerido</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/labels.py" />
            <source>about 1 minute</source>
            <translation>alrededor de 1 minuto</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/labels.py" />
            <source>about {n} minutes</source>
            <translation>alrededor de {n} minutos</translation>
        </message>
    </context>
    <context>
        <name>MouPrint</name>
        <message>
            <location filename="../../src/circlekeeper/ui/mou_print.py" />
            <source>Save the MOU summary</source>
            <translation>Guardar el resumen del MOU</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/mou_print.py" />
            <source>PDF files (*.pdf)</source>
            <translation>Archivos PDF (*.pdf)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/mou_print.py" />
            <source>Not saved</source>
            <translation>No se guardó</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/mou_print.py" />
            <source>MOU summary saved</source>
            <translation>Resumen del MOU guardado</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/mou_print.py" />
            <source>The one-page summary (English and Spanish) is in {path}.</source>
            <translation>El resumen de una página (inglés y español) está en {path}.</translation>
        </message>
    </context>
    <context>
        <name>MouSection</name>
        <message>
            <location filename="../../src/circlekeeper/ui/mou_section.py" />
            <source>An officer may lead a circle or conference (otherwise co-facilitates only)</source>
            <translation>Un/a oficial puede &amp;dirigir un círculo o una conferencia (si no, solo cofacilita)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/mou_section.py" />
            <source>An officer may lead a circle or conference</source>
            <translation>Un/a oficial puede dirigir un círculo o una conferencia</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/mou_section.py" />
            <source>An officer takes part in school discipline (diversion, conse&amp;quences, closing a case)</source>
            <translation>Un/a oficial participa en la disciplina escolar (desviación, consecuencias, cierre de un caso)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/mou_section.py" />
            <source>An officer takes part in school discipline</source>
            <translation>Un/a oficial participa en la disciplina escolar</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/mou_section.py" />
            <source>Incident types that are law-enforcement matters, one a line</source>
            <translation>Tipos de incidente que son asuntos policiales, uno por línea</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/mou_section.py" />
            <source>What the officer may be told, and when</source>
            <translation>Qué se le puede informar al/a la oficial, y cuándo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/mou_section.py" />
            <source>Can what a student admits be used for a citation or charge? (English)</source>
            <translation>¿Se puede usar lo que admite una persona estudiante para una citación o un cargo? (inglés)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/mou_section.py" />
            <source>Can what a student admits be used for a citation or charge? (Spanish)</source>
            <translation>¿Se puede usar lo que admite una persona estudiante para una citación o un cargo? (español)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/mou_section.py" />
            <source>Save the &amp;MOU</source>
            <translation>Guardar el MOU</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/mou_section.py" />
            <source>Save the MOU</source>
            <translation>Guardar el MOU</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/mou_section.py" />
            <source>&amp;Print the MOU summary…</source>
            <translation>Imprimir el resumen del M&amp;OU…</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/mou_section.py" />
            <source>Print the one-page MOU summary</source>
            <translation>Imprimir el resumen del MOU en una página</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/mou_section.py" />
            <source>MOU message</source>
            <translation>Mensaje del MOU</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/mou_section.py" />
            <source>Law-enforcement matters</source>
            <translation>Asuntos policiales</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/mou_section.py" />
            <source>What the officer is told</source>
            <translation>Lo que se le informa al/a la oficial</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/mou_section.py" />
            <source>Admissions statement (EN)</source>
            <translation>Declaración sobre admisiones (EN)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/mou_section.py" />
            <source>Admissions statement (ES)</source>
            <translation>Declaración sobre admisiones (ES)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/mou_section.py" />
            <source>Agreement with the police (MOU)</source>
            <translation>Acuerdo con la policía (MOU)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/mou_section.py" />
            <source>What the school's memorandum of understanding says about its school resource officer. The program enforces it; the admissions statement is read at the opening of every conference an officer takes part in.</source>
            <translation>Lo que dice el memorando de entendimiento de la escuela sobre su oficial de recursos escolares. El programa lo aplica; la declaración sobre admisiones se lee en la apertura de cada conferencia en la que participa un/a oficial.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/mou_section.py" />
            <source>Only a counselor or an administrator can change the MOU.</source>
            <translation>Solo un/a consejero/a o un/a administrador/a puede cambiar el MOU.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/mou_section.py" />
            <source>MOU saved. The program follows it from now on.</source>
            <translation>MOU guardado. El programa lo sigue a partir de ahora.</translation>
        </message>
        <message>
            <source>An officer may &amp;lead a circle or conference (otherwise co-facilitates only)</source>
            <translation type="vanished">Un/a oficial puede &amp;dirigir un círculo o una conferencia (si no, solo cofacilita)</translation>
        </message>
        <message>
            <source>An officer takes part in school &amp;discipline (diversion, consequences, closing a case)</source>
            <translation type="vanished">Un/a oficial participa en la &amp;disciplina escolar (desviación, consecuencias, cierre de un caso)</translation>
        </message>
    </context>
    <context>
        <name>NewPassphraseDialog</name>
        <message>
            <location filename="../../src/circlekeeper/ui/security/passphrase.py" />
            <source>Current passphrase</source>
            <translation>Frase de acceso actual</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/passphrase.py" />
            <source>New passphrase</source>
            <translation>Frase de acceso nueva</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/passphrase.py" />
            <source>New passphrase again</source>
            <translation>Repita la frase de acceso nueva</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/passphrase.py" />
            <source>Passphrase message</source>
            <translation>Mensaje de la frase de acceso</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/passphrase.py" />
            <source>&amp;Current passphrase</source>
            <translation>Frase de acceso &amp;actual</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/passphrase.py" />
            <source>&amp;New passphrase</source>
            <translation>Frase de acceso &amp;nueva</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/passphrase.py" />
            <source>Type it a&amp;gain</source>
            <translation>Escríbala &amp;otra vez</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/passphrase.py" />
            <source>OK</source>
            <translation>Aceptar</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/passphrase.py" />
            <source>Cancel</source>
            <translation>Cancelar</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/passphrase.py" />
            <source>Type the current passphrase.</source>
            <translation>Escriba la frase de acceso actual.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/passphrase.py" />
            <source>Choose a passphrase of at least {n} characters; a short sentence is easiest to remember.</source>
            <translation>Elija una frase de acceso de al menos {n} caracteres; una frase corta es lo más fácil de recordar.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/passphrase.py" />
            <source>The two new passphrases are not the same. Type them again.</source>
            <translation>Las dos frases de acceso nuevas no coinciden. Escríbalas otra vez.</translation>
        </message>
    </context>
    <context>
        <name>NoteDialog</name>
        <message>
            <location filename="../../src/circlekeeper/ui/live/dialogs.py" />
            <source>Note</source>
            <translation>Nota</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/dialogs.py" />
            <source>Add a note</source>
            <translation>Añadir una nota</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/dialogs.py" />
            <source>A note on “{stage}”. Ctrl+Return saves it.</source>
            <translation>Una nota sobre «{stage}». Ctrl+Intro la guarda.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/dialogs.py" />
            <source>Note text</source>
            <translation>Texto de la nota</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/dialogs.py" />
            <source>&amp;Private memory aid (only for me)</source>
            <translation>&amp;Ayuda de memoria privada (solo para mí)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/dialogs.py" />
            <source>Private memory aid, only for me</source>
            <translation>Ayuda de memoria privada, solo para mí</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/dialogs.py" />
            <source>Part of the shared &amp;record</source>
            <translation>Parte del &amp;registro compartido</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/dialogs.py" />
            <source>Part of the shared record</source>
            <translation>Parte del registro compartido</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/dialogs.py" />
            <source>Record notes become part of the student's education record.</source>
            <translation>Las notas del registro pasan a formar parte del expediente educativo de la persona estudiante.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/dialogs.py" />
            <source>About whom</source>
            <translation>Sobre quién</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/dialogs.py" />
            <source>Nobody in particular</source>
            <translation>Nadie en particular</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/dialogs.py" />
            <source>&amp;About:</source>
            <translation>&amp;Sobre:</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/dialogs.py" />
            <source>&amp;Save note</source>
            <translation>&amp;Guardar nota</translation>
        </message>
    </context>
    <context>
        <name>Opening</name>
        <message>
            <location filename="../../src/circlekeeper/ui/security/opening.py" />
            <source>The records could not be opened</source>
            <translation>No se pudieron abrir los registros</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/opening.py" />
            <source>Wrong passphrase</source>
            <translation>Frase de acceso incorrecta</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/opening.py" />
            <source>Tidied beside your records</source>
            <translation>Se ordenó junto a sus registros</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/opening.py" />
            <source>That did not work</source>
            <translation>Eso no funcionó</translation>
        </message>
    </context>
    <context>
        <name>ParticipantsPanel</name>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/participants.py" />
            <source>Type part of a name or ID to invite someone</source>
            <translation>Escriba parte de un nombre o identificación para invitar a alguien</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/participants.py" />
            <source>Find a person to invite</source>
            <translation>Buscar a una persona para invitar</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/participants.py" />
            <source>Clear the search</source>
            <translation>Borrar la búsqueda</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/participants.py" />
            <source>People found</source>
            <translation>Personas encontradas</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/participants.py" />
            <source>Role in the circle</source>
            <translation>Papel en el círculo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/participants.py" />
            <source>Supports whom</source>
            <translation>Apoya a</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/participants.py" />
            <source>&amp;Invite</source>
            <translation>&amp;Invitar</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/participants.py" />
            <source>Invite the chosen person with this role</source>
            <translation>Invitar a la persona elegida con este papel</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/participants.py" />
            <source>Invite (Enter in the list of people found)</source>
            <translation>Invitar (Intro en la lista de personas encontradas)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/participants.py" />
            <source>People in this circle</source>
            <translation>Personas en este círculo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/participants.py" />
            <source>Name</source>
            <translation>Nombre</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/participants.py" />
            <source>Role</source>
            <translation>Papel</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/participants.py" />
            <source>Columns</source>
            <translation>Columnas</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/participants.py" />
            <source>C&amp;hange role</source>
            <translation>Cam&amp;biar papel</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/participants.py" />
            <source>Give the selected person the role chosen above</source>
            <translation>Dar a la persona seleccionada el papel elegido arriba</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/participants.py" />
            <source>Re&amp;move</source>
            <translation>&amp;Quitar</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/participants.py" />
            <source>Remove the selected person from the circle</source>
            <translation>Quitar del círculo a la persona seleccionada</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/participants.py" />
            <source>Rol&amp;e</source>
            <translation>Pape&amp;l</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/participants.py" />
            <source>Suppo&amp;rter of</source>
            <translation>Apoya &amp;a</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/participants.py" />
            <source>Invite</source>
            <translation>Invitar</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/participants.py" />
            <source>In the circle</source>
            <translation>En el círculo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/participants.py" />
            <source>, grade {grade}</source>
            <translation>, grado {grade}</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/participants.py" />
            <source> (already invited)</source>
            <translation> (ya invitada)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/participants.py" />
            <source>(invite the harmed or responsible person first)</source>
            <translation>(primero invite a la persona afectada o a la responsable)</translation>
        </message>
        <message>
            <source>&amp;Change role</source>
            <translation type="vanished">&amp;Cambiar papel</translation>
        </message>
        <message>
            <source>&amp;Remove</source>
            <translation type="vanished">&amp;Quitar</translation>
        </message>
        <message>
            <source>R&amp;ole</source>
            <translation type="vanished">Pa&amp;pel</translation>
        </message>
        <message>
            <source>Supporter &amp;of</source>
            <translation type="vanished">Apoya &amp;a</translation>
        </message>
    </context>
    <context>
        <name>PassphraseDialog</name>
        <message>
            <location filename="../../src/circlekeeper/ui/security/passphrase.py" />
            <source>Enter the passphrase</source>
            <translation>Escriba la frase de acceso</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/passphrase.py" />
            <source>Passphrase</source>
            <translation>Frase de acceso</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/passphrase.py" />
            <source>S&amp;how</source>
            <translation>&amp;Mostrar</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/passphrase.py" />
            <source>Show the passphrase as it is typed</source>
            <translation>Mostrar la frase de acceso mientras se escribe</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/passphrase.py" />
            <source>Passphrase message</source>
            <translation>Mensaje de la frase de acceso</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/passphrase.py" />
            <source>Open</source>
            <translation>Abierto</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/passphrase.py" />
            <source>Cancel</source>
            <translation>Cancelar</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/passphrase.py" />
            <source>&amp;Passphrase</source>
            <translation>&amp;Frase de acceso</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/passphrase.py" />
            <source>The records in {file} are protected with a passphrase. Type it to open them.</source>
            <translation>Los registros de {file} están protegidos con una frase de acceso. Escríbala para abrirlos.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/passphrase.py" />
            <source>Type the passphrase first.</source>
            <translation>Primero escriba la frase de acceso.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/passphrase.py" />
            <source>That passphrase is not right, so nothing was opened or changed. Check the spelling and the Caps Lock key, then try again.</source>
            <translation>Esa frase de acceso no es correcta, así que no se abrió ni se cambió nada. Revise la ortografía y la tecla Bloq Mayús, e inténtelo de nuevo.</translation>
        </message>
    </context>
    <context>
        <name>PeopleArea</name>
        <message>
            <location filename="../../src/circlekeeper/ui/people/area.py" />
            <source>People</source>
            <translation>Personas</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/area.py" />
            <source>Search by name or ID (Ctrl+F)</source>
            <translation>Buscar por nombre o identificación (Ctrl+F)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/area.py" />
            <source>Search people</source>
            <translation>Buscar personas</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/area.py" />
            <source>Type part of a name or ID; the list below updates as you type.</source>
            <translation>Escriba parte de un nombre o identificación; la lista de abajo se actualiza mientras escribe.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/area.py" />
            <source>Show a&amp;rchived</source>
            <translation>Mostrar a&amp;rchivadas</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/area.py" />
            <source>Show archived people</source>
            <translation>Mostrar las personas archivadas</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/area.py" />
            <source>People list</source>
            <translation>Lista de personas</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/area.py" />
            <source>&amp;Open</source>
            <translation>A&amp;brir</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/area.py" />
            <source>Open the selected person's page</source>
            <translation>Abrir la página de la persona seleccionada</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/area.py" />
            <source>Their cases, circles, agreements and more (Enter)</source>
            <translation>Sus casos, círculos, acuerdos y más (Intro)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/area.py" />
            <source>&amp;Add person…</source>
            <translation>&amp;Añadir persona…</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/area.py" />
            <source>Add person</source>
            <translation>Añadir persona</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/area.py" />
            <source>Add a person (Ctrl+N)</source>
            <translation>Añadir una persona (Ctrl+N)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/area.py" />
            <source>&amp;Edit…</source>
            <translation>&amp;Editar…</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/area.py" />
            <source>Edit the selected person</source>
            <translation>Editar a la persona seleccionada</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/area.py" />
            <source>Ar&amp;chive</source>
            <translation>Ar&amp;chivar</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/area.py" />
            <source>Archive the selected person</source>
            <translation>Archivar a la persona seleccionada</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/area.py" />
            <source>&amp;Import roster…</source>
            <translation>&amp;Importar lista…</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/area.py" />
            <source>Import a roster file</source>
            <translation>Importar un archivo de lista de estudiantes</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/area.py" />
            <source>End of school &amp;year…</source>
            <translation>&amp;Fin del año escolar…</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/area.py" />
            <source>Close the school year: move students up a grade and archive leavers</source>
            <translation>Cerrar el año escolar: pasar a cada estudiante al grado siguiente y archivar a quienes terminan</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/area.py" />
            <source>How many people are listed</source>
            <translation>Cuántas personas aparecen en la lista</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/area.py" />
            <source>Last change</source>
            <translation>Último cambio</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/area.py" />
            <source>More than {count} people found</source>
            <translation>Se encontraron más de {count} personas</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/area.py" />
            <source>More than {count} people</source>
            <translation>Más de {count} personas</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/area.py" />
            <source>1 person found</source>
            <translation>Se encontró 1 persona</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/area.py" />
            <source>{count} people found</source>
            <translation>Se encontraron {count} personas</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/area.py" />
            <source>1 person</source>
            <translation>1 persona</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/area.py" />
            <source>{count} people</source>
            <translation>{count} personas</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/area.py" />
            <source>Re&amp;store</source>
            <translation>Res&amp;taurar</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/area.py" />
            <source>Restore the selected person</source>
            <translation>Restaurar a la persona seleccionada</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/area.py" />
            <source>Added {name}.</source>
            <translation>Se añadió a {name}.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/area.py" />
            <source>Saved the changes to {name}.</source>
            <translation>Se guardaron los cambios de {name}.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/area.py" />
            <source>Archived {name}. Their records are kept; tick Show archived to see them.</source>
            <translation>Se archivó a {name}. Sus registros se conservan; marque Mostrar archivadas para verlos.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/area.py" />
            <source>Restored {name}.</source>
            <translation>Se restauró a {name}.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/area.py" />
            <source>The records could not be read or saved just now. Nothing already saved was lost. Try again; if it keeps happening, restart circlekeeper.</source>
            <translation>No se pudieron leer ni guardar los registros en este momento. No se perdió nada de lo ya guardado. Inténtelo de nuevo; si sigue pasando, reinicie circlekeeper.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/area.py" />
            <source>That did not work</source>
            <translation>Eso no funcionó</translation>
        </message>
        <message>
            <source>Edit the selected person (Enter)</source>
            <translation type="vanished">Editar a la persona seleccionada (Intro)</translation>
        </message>
    </context>
    <context>
        <name>PeopleTableModel</name>
        <message>
            <location filename="../../src/circlekeeper/ui/people/model.py" />
            <source>Name</source>
            <translation>Nombre</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/model.py" />
            <source>ID</source>
            <translation>Identificación</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/model.py" />
            <source>Kind</source>
            <translation>Tipo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/model.py" />
            <source>Grade</source>
            <translation>Grado</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/model.py" />
            <source>School</source>
            <translation>Escuela</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/model.py" />
            <source>Pronouns</source>
            <translation>Pronombres</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/model.py" />
            <source>{name}, archived</source>
            <translation>{name}, archivada</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/model.py" />
            <source>Preferred name; legal name {legal}</source>
            <translation>Nombre preferido; nombre legal {legal}</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/model.py" />
            <source>(archived)</source>
            <translation>(archivada)</translation>
        </message>
    </context>
    <context>
        <name>PersonDialog</name>
        <message>
            <location filename="../../src/circlekeeper/ui/people/dialog.py" />
            <source>Add a person</source>
            <translation>Añadir una persona</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/dialog.py" />
            <source>Edit person</source>
            <translation>Editar persona</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/dialog.py" />
            <source>Problem</source>
            <translation>Problema</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/dialog.py" />
            <source>First name (required)</source>
            <translation>Nombre (obligatorio)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/dialog.py" />
            <source>Last name (required)</source>
            <translation>Apellido (obligatorio)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/dialog.py" />
            <source>Preferred name</source>
            <translation>Nombre preferido</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/dialog.py" />
            <source>What they like to be called</source>
            <translation>Cómo le gusta que le llamen</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/dialog.py" />
            <source>Pronouns</source>
            <translation>Pronombres</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/dialog.py" />
            <source>Kind of person</source>
            <translation>Tipo de persona</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/dialog.py" />
            <source>Grade</source>
            <translation>Grado</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/dialog.py" />
            <source>School</source>
            <translation>Escuela</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/dialog.py" />
            <source>Student or staff ID</source>
            <translation>Identificación de estudiante o personal</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/dialog.py" />
            <source>Known</source>
            <translation>Se conoce</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/dialog.py" />
            <source>Birth date is known</source>
            <translation>Se conoce la fecha de nacimiento</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/dialog.py" />
            <source>Birth date</source>
            <translation>Fecha de nacimiento</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/dialog.py" />
            <source>Email</source>
            <translation>Correo electrónico</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/dialog.py" />
            <source>Phone</source>
            <translation>Teléfono</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/dialog.py" />
            <source>Job title</source>
            <translation>Cargo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/dialog.py" />
            <source>For staff, e.g. Dean of students</source>
            <translation>Para el personal, p. ej. Decano/a de estudiantes</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/dialog.py" />
            <source>&amp;First name</source>
            <translation>Nom&amp;bre</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/dialog.py" />
            <source>&amp;Last name</source>
            <translation>&amp;Apellido</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/dialog.py" />
            <source>P&amp;referred name</source>
            <translation>Nombre p&amp;referido</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/dialog.py" />
            <source>Pr&amp;onouns</source>
            <translation>Pr&amp;onombres</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/dialog.py" />
            <source>&amp;Kind</source>
            <translation>Tipo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/dialog.py" />
            <source>&amp;Grade</source>
            <translation>&amp;Grado</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/dialog.py" />
            <source>&amp;Birth date</source>
            <translation>Fe&amp;cha de nacimiento</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/dialog.py" />
            <source>&amp;School</source>
            <translation>Escu&amp;ela</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/dialog.py" />
            <source>Student/staff &amp;ID</source>
            <translation>&amp;Identificación</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/dialog.py" />
            <source>E&amp;mail</source>
            <translation>Correo e&amp;lectrónico</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/dialog.py" />
            <source>Phon&amp;e</source>
            <translation>&amp;Teléfono</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/dialog.py" />
            <source>&amp;Title</source>
            <translation>Cargo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/dialog.py" />
            <source>E&amp;quity report fields (optional)</source>
            <translation>Datos para el informe de e&amp;quidad (opcional)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/dialog.py" />
            <source>Show equity report fields</source>
            <translation>Mostrar los datos para el informe de equidad</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/dialog.py" />
            <source>These are used only to check that restorative practice reaches every group fairly (equity reports with small groups hidden). They are never printed on agreements, letters or shared copies.</source>
            <translation>Solo se usan para comprobar que la práctica restaurativa llega a todos los grupos de forma justa (informes de equidad con los grupos pequeños ocultos). Nunca se imprimen en acuerdos, cartas ni copias para compartir.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/dialog.py" />
            <source>Gender</source>
            <translation>Género</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/dialog.py" />
            <source>Race or ethnicity</source>
            <translation>Raza u origen étnico</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/dialog.py" />
            <source>Has a disability (IEP or 504)</source>
            <translation>Tiene una discapacidad (IEP o 504)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/dialog.py" />
            <source>English learner</source>
            <translation>Aprendiz de inglés</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/dialog.py" />
            <source>Low income</source>
            <translation>Bajos ingresos</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/dialog.py" />
            <source>Disability (IEP or 504)</source>
            <translation>Discapacidad (IEP o 504)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/dialog.py" />
            <source>Guardians</source>
            <translation>Madres, padres o tutores</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/dialog.py" />
            <source>Linked guardians</source>
            <translation>Madres, padres o tutores vinculados</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/dialog.py" />
            <source>Li&amp;nk guardian…</source>
            <translation>Vi&amp;ncular a una madre, padre o tutor…</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/dialog.py" />
            <source>Link a guardian</source>
            <translation>Vincular a una madre, padre o tutor</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/dialog.py" />
            <source>&amp;Unlink</source>
            <translation>&amp;Desvincular</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/dialog.py" />
            <source>Unlink the selected guardian</source>
            <translation>Desvincular a la persona tutora seleccionada</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/dialog.py" />
            <source>Save</source>
            <translation>Guardar</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/dialog.py" />
            <source>Cancel</source>
            <translation>Cancelar</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/dialog.py" />
            <source>&amp;History…</source>
            <translation>&amp;Historial…</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/dialog.py" />
            <source>History of changes</source>
            <translation>Historial de cambios</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/dialog.py" />
            <source>Not recorded</source>
            <translation>Sin registrar</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/dialog.py" />
            <source>Yes</source>
            <translation>Sí</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/dialog.py" />
            <source>No</source>
            <translation>No</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/dialog.py" />
            <source>Hide equity report fields</source>
            <translation>Ocultar los datos para el informe de equidad</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/dialog.py" />
            <source>The changes could not be saved just now (the database did not answer). What you typed is still here: try Save again.</source>
            <translation>No se pudieron guardar los cambios en este momento (la base de datos no respondió). Lo que escribió sigue aquí: pulse Guardar otra vez.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/dialog.py" />
            <source>(empty)</source>
            <translation>(vacío)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/dialog.py" />
            <source>Problem: {text}</source>
            <translation>Problema: {text}</translation>
        </message>
        <message>
            <source>{guardian} (linked when you save)</source>
            <translation type="vanished">{guardian} (se vincula al guardar)</translation>
        </message>
        <message>
            <source>No guardians linked yet.</source>
            <translation type="vanished">Todavía no hay madre, padre ni tutor vinculado.</translation>
        </message>
        <message>
            <source>the database did not answer</source>
            <translation type="vanished">la base de datos no respondió</translation>
        </message>
        <message>
            <source>The person was saved, but a guardian link was not: {problem} Fix it below and press Save again, or Cancel to keep what is saved.</source>
            <translation type="vanished">Se guardó a la persona, pero no el vínculo con una madre, padre o tutor: {problem} Corríjalo abajo y pulse Guardar otra vez, o Cancelar para quedarse con lo guardado.</translation>
        </message>
        <message>
            <source>Sc&amp;hool</source>
            <translation type="vanished">Escu&amp;ela</translation>
        </message>
        <message>
            <source>P&amp;hone</source>
            <translation type="vanished">&amp;Teléfono</translation>
        </message>
    </context>
    <context>
        <name>PersonFinder</name>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/picker.py" />
            <source>, grade {grade}</source>
            <translation>, grado {grade}</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/picker.py" />
            <source>Type part of a name or ID, then Enter</source>
            <translation>Escriba parte de un nombre o identificación y pulse Intro</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/picker.py" />
            <source>Find a person</source>
            <translation>Buscar a una persona</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/picker.py" />
            <source>Matching people</source>
            <translation>Personas que coinciden</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/picker.py" />
            <source>Nobody matches “{text}”.</source>
            <translation>Nadie coincide con «{text}».</translation>
        </message>
    </context>
    <context>
        <name>PersonKind</name>
        <message>
            <location filename="../../src/circlekeeper/ui/people/labels.py" />
            <source>Student</source>
            <translation>Estudiante</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/labels.py" />
            <source>Staff member</source>
            <translation>Miembro del personal</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/labels.py" />
            <source>Parent or guardian</source>
            <translation>Madre, padre o tutor</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/labels.py" />
            <source>School resource officer (SRO)</source>
            <translation>Oficial de recursos escolares (SRO)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/labels.py" />
            <source>Community member</source>
            <translation>Miembro de la comunidad</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/labels.py" />
            <source>Staff</source>
            <translation>Personal</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/labels.py" />
            <source>Guardian</source>
            <translation>Madre, padre o tutor</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/labels.py" />
            <source>SRO</source>
            <translation>SRO</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/labels.py" />
            <source>Community</source>
            <translation>Comunidad</translation>
        </message>
    </context>
    <context>
        <name>PersonPickerDialog</name>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/picker.py" />
            <source>Choose</source>
            <translation>Elegir</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/picker.py" />
            <source>Choose the highlighted person</source>
            <translation>Elegir a la persona resaltada</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/picker.py" />
            <source>Cancel</source>
            <translation>Cancelar</translation>
        </message>
    </context>
    <context>
        <name>PickPersonDialog</name>
        <message>
            <location filename="../../src/circlekeeper/ui/live/dialogs.py" />
            <source>Filter names</source>
            <translation>Filtrar nombres</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/dialogs.py" />
            <source>Type to find a name</source>
            <translation>Escriba para buscar un nombre</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/dialogs.py" />
            <source>People</source>
            <translation>Personas</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/dialogs.py" />
            <source>Role in the circle</source>
            <translation>Papel en el círculo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/dialogs.py" />
            <source>&amp;Role:</source>
            <translation>&amp;Papel:</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/dialogs.py" />
            <source>&amp;Choose</source>
            <translation>&amp;Elegir</translation>
        </message>
    </context>
    <context>
        <name>PlanDialog</name>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/plan.py" />
            <source>Plan a circle</source>
            <translation>Planificar un círculo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/plan.py" />
            <source>S&amp;uggest conference seating</source>
            <translation>S&amp;ugerir disposición de conferencia</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/plan.py" />
            <source>Suggest conference seating</source>
            <translation>Sugerir disposición de conferencia</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/plan.py" />
            <source>Each person beside their supporters, the two sides facing each other</source>
            <translation>Cada persona junto a sus personas de apoyo, los dos lados frente a frente</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/plan.py" />
            <source>Drag a seat to move someone, or choose a seat with the arrow keys and move it with Alt+Left / Alt+Right. The layout that feels safest to the harmed person wins.</source>
            <translation>Arrastre un asiento para mover a alguien, o elija un asiento con las flechas y muévalo con Alt+Izquierda / Alt+Derecha. Gana la disposición en la que la persona afectada se sienta más segura.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/plan.py" />
            <source>Planning sections</source>
            <translation>Secciones de la planificación</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/plan.py" />
            <source>&amp;People</source>
            <translation>&amp;Personas</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/plan.py" />
            <source>Seatin&amp;g</source>
            <translation>&amp;Asientos</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/plan.py" />
            <source>P&amp;reparation</source>
            <translation>P&amp;reparación</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/plan.py" />
            <source>What is still missing</source>
            <translation>Lo que aún falta</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/plan.py" />
            <source>Before you start</source>
            <translation>Antes de empezar</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/plan.py" />
            <source>S&amp;tart circle…</source>
            <translation>Inicia&amp;r círculo…</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/plan.py" />
            <source>Start the circle</source>
            <translation>Iniciar el círculo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/plan.py" />
            <source>Close</source>
            <translation>Cerrar</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/plan.py" />
            <source>Close the plan</source>
            <translation>Cerrar el plan</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/plan.py" />
            <source>Details</source>
            <translation>Detalles</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/plan.py" />
            <source>This list explains; you may start anyway, except for what is marked ⚠ (the eligibility screen stops the conference).</source>
            <translation>Esta lista es informativa; puede empezar de todos modos, salvo por lo marcado con ⚠ (la evaluación de elegibilidad detiene la conferencia).</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/plan.py" />
            <source>Save summar&amp;y PDF…</source>
            <translation>Guardar resu&amp;men en PDF…</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/plan.py" />
            <source>Save the circle summary as PDF</source>
            <translation>Guardar el resumen del círculo en PDF</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/plan.py" />
            <source>Kind of circle</source>
            <translation>Tipo de círculo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/plan.py" />
            <source>Script</source>
            <translation>Guion</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/plan.py" />
            <source>About the script</source>
            <translation>Sobre el guion</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/plan.py" />
            <source>Title</source>
            <translation>Título</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/plan.py" />
            <source>Leave empty to use the script's title</source>
            <translation>Déjelo vacío para usar el título del guion</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/plan.py" />
            <source>Date and time</source>
            <translation>Fecha y hora</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/plan.py" />
            <source>Not decided yet</source>
            <translation>Aún sin decidir</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/plan.py" />
            <source>Date and time not decided yet</source>
            <translation>Fecha y hora aún sin decidir</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/plan.py" />
            <source>Planned length in minutes</source>
            <translation>Duración prevista en minutos</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/plan.py" />
            <source>As the script suggests</source>
            <translation>La que sugiere el guion</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/plan.py" />
            <source> min</source>
            <translation> min</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/plan.py" />
            <source>Place</source>
            <translation>Lugar</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/plan.py" />
            <source>e.g. Counseling office, Room 12</source>
            <translation>p. ej. Oficina de consejería, Salón 12</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/plan.py" />
            <source>Purpose</source>
            <translation>Propósito</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/plan.py" />
            <source>Leave empty to use the script's purpose</source>
            <translation>Déjelo vacío para usar el propósito del guion</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/plan.py" />
            <source>Linked case</source>
            <translation>Caso vinculado</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/plan.py" />
            <source>No case</source>
            <translation>Sin caso</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/plan.py" />
            <source>Case {id}: {what}, referred {day}</source>
            <translation>Caso {id}: {what}, remitido el {day}</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/plan.py" />
            <source>Facilitator</source>
            <translation>Facilitador/a</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/plan.py" />
            <source>Co-facilitator (for example an SRO)</source>
            <translation>Cofacilitador/a (por ejemplo, un SRO)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/plan.py" />
            <source>Nobody yet</source>
            <translation>Nadie todavía</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/plan.py" />
            <source>None</source>
            <translation>Ninguno</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/plan.py" />
            <source> (SRO)</source>
            <translation> (SRO)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/plan.py" />
            <source>&amp;Save details</source>
            <translation>Guardar d&amp;etalles</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/plan.py" />
            <source>Save the details</source>
            <translation>Guardar los detalles</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/plan.py" />
            <source>Save the details (Ctrl+S)</source>
            <translation>Guardar los detalles (Ctrl+S)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/plan.py" />
            <source>&amp;Kind</source>
            <translation>Tipo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/plan.py" />
            <source>Scri&amp;pt</source>
            <translation>Guion</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/plan.py" />
            <source>&amp;When</source>
            <translation>Cuándo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/plan.py" />
            <source>&amp;Length</source>
            <translation>&amp;Duración</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/plan.py" />
            <source>Pl&amp;ace</source>
            <translation>Lu&amp;gar</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/plan.py" />
            <source>P&amp;urpose</source>
            <translation>Pro&amp;pósito</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/plan.py" />
            <source>&amp;Case</source>
            <translation>Ca&amp;so</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/plan.py" />
            <source>&amp;Facilitator</source>
            <translation>Facili&amp;tador/a</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/plan.py" />
            <source>C&amp;o-facilitator</source>
            <translation>C&amp;ofacilitador/a</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/plan.py" />
            <source>No script</source>
            <translation>Sin guion</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/plan.py" />
            <source>{title} (for {kind})</source>
            <translation>{title} (para {kind})</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/plan.py" />
            <source> (yours)</source>
            <translation> (suyo)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/plan.py" />
            <source>Without a script you keep the circle in your own words.</source>
            <translation>Sin guion, usted guía el círculo con sus propias palabras.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/plan.py" />
            <source>English</source>
            <translation>English (inglés)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/plan.py" />
            <source>Spanish</source>
            <translation>Español</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/plan.py" />
            <source>{stages} stages · {minutes} · {languages}</source>
            <translation>{stages} etapas · {minutes} · {languages}</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/plan.py" />
            <source>Plan: {title}</source>
            <translation>Plan: {title}</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/plan.py" />
            <source>Save the details or invite someone to begin.</source>
            <translation>Guarde los detalles o invite a alguien para empezar.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/plan.py" />
            <source>Nothing is missing: ready to hold.</source>
            <translation>No falta nada: todo listo para realizarlo.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/plan.py" />
            <source>Before you start: {count} to do</source>
            <translation>Antes de empezar: {count} pendientes</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/plan.py" />
            <source>Before you start: ready</source>
            <translation>Antes de empezar: todo listo</translation>
        </message>
        <message>
            <source>Save su&amp;mmary PDF…</source>
            <translation type="vanished">Guardar resu&amp;men en PDF…</translation>
        </message>
        <message>
            <source>Scr&amp;ipt</source>
            <translation type="vanished">G&amp;uion</translation>
        </message>
        <message>
            <source>T&amp;itle</source>
            <translation type="vanished">Tít&amp;ulo</translation>
        </message>
    </context>
    <context>
        <name>PreparationPanel</name>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/preparation.py" />
            <source>Eligibility screen</source>
            <translation>Evaluación de elegibilidad</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/preparation.py" />
            <source>Consent form…</source>
            <translation>Formulario de consentimiento…</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/preparation.py" />
            <source>Print the consent form</source>
            <translation>Imprimir el formulario de consentimiento</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/preparation.py" />
            <source>A form for each person to sign, with a guardian's line for a minor</source>
            <translation>Un formulario para que firme cada persona, con una línea para la madre, el padre o tutor de cada menor</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/preparation.py" />
            <source>Preparation with each person</source>
            <translation>Preparación con cada persona</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/preparation.py" />
            <source>Meet each person before the circle, record their agreement to take part, and a guardian's consent for anyone under 18. Consent can be withdrawn at any time: record it with its date, and tick consent again if it is given again.</source>
            <translation>Reúnase con cada persona antes del círculo, registre su acuerdo para participar y el consentimiento de la madre, el padre o tutor de cualquier menor de 18 años. El consentimiento se puede retirar en cualquier momento: registre la fecha en que se retiró y vuelva a marcarlo si se da de nuevo.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/preparation.py" />
            <source>Person</source>
            <translation>Persona</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/preparation.py" />
            <source>Pre-meeting
held</source>
            <translation>Reunión previa
realizada</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/preparation.py" />
            <source>Agreed to
take part</source>
            <translation>Aceptó
participar</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/preparation.py" />
            <source>Guardian
consent</source>
            <translation>Consentimiento
de la familia</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/preparation.py" />
            <source>Consent
withdrawn</source>
            <translation>Consentimiento
retirado</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/preparation.py" />
            <source>Invite the people taking part to see their checklist.</source>
            <translation>Invite a las personas que participan para ver su lista de preparación.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/preparation.py" />
            <source>Pre-meeting held with {name}</source>
            <translation>Reunión previa realizada con {name}</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/preparation.py" />
            <source>{name} agreed to take part</source>
            <translation>{name} aceptó participar</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/preparation.py" />
            <source>Guardian consent recorded for {name}</source>
            <translation>Consentimiento de la familia registrado para {name}</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/preparation.py" />
            <source>Yes</source>
            <translation>Sí</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/preparation.py" />
            <source>not needed</source>
            <translation>no hace falta</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/preparation.py" />
            <source>{name} is an adult.</source>
            <translation>{name} es mayor de edad.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/preparation.py" />
            <source>{date}, by a guardian</source>
            <translation>{date}, por la madre, el padre o tutor</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/preparation.py" />
            <source>{date}, by {name}</source>
            <translation>{date}, por {name}</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/preparation.py" />
            <source>Consent for {name} withdrawn on {date}</source>
            <translation>Consentimiento de {name} retirado el {date}</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/preparation.py" />
            <source>The circle cannot start until consent is recorded again.</source>
            <translation>El círculo no puede comenzar hasta que se vuelva a registrar el consentimiento.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/preparation.py" />
            <source>Withdrawn…</source>
            <translation>Retirado…</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/preparation.py" />
            <source>Record that {name} withdrew consent</source>
            <translation>Registrar que se retiró el consentimiento de {name}</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/preparation.py" />
            <source>The screen of case {number}: the case page shows and saves these same answers.</source>
            <translation>La evaluación del caso {number}: la página del caso muestra y guarda estas mismas respuestas.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/preparation.py" />
            <source>This circle has no case; its screen is kept here.</source>
            <translation>Este círculo no tiene caso; su evaluación se guarda aquí.</translation>
        </message>
        <message>
            <source>Meet each person before the conference, record their agreement to take part, and a guardian's consent for anyone under 18.</source>
            <translation type="vanished">Reúnase con cada persona antes de la conferencia, registre su acuerdo para participar y el consentimiento de la madre, el padre o tutor de cualquier menor de 18 años.</translation>
        </message>
        <message>
            <source>This conference has no case; its screen is kept here.</source>
            <translation type="vanished">Esta conferencia no tiene caso; su evaluación se guarda aquí.</translation>
        </message>
        <message>
            <source>Meet each person before the circle, record their agreement to take part, and a guardian's consent for anyone under 18.</source>
            <translation type="vanished">Reúnase con cada persona antes del círculo, registre su acuerdo para participar y el consentimiento de la madre, el padre o tutor de cualquier menor de 18 años.</translation>
        </message>
    </context>
    <context>
        <name>Problems</name>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/common.py" />
            <source>The records could not be read or saved just now. Nothing already saved was lost. Try again; if it keeps happening, restart circlekeeper.</source>
            <translation>No se pudieron leer ni guardar los registros en este momento. No se perdió nada de lo ya guardado. Inténtelo de nuevo; si sigue pasando, reinicie circlekeeper.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/common.py" />
            <source>That did not work. Nothing already saved was lost; try again.</source>
            <translation>No se pudo hacer. No se perdió nada de lo guardado; inténtelo de nuevo.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/problems.py" />
            <source>That did not work</source>
            <translation>Eso no funcionó</translation>
        </message>
    </context>
    <context>
        <name>ProfileChooser</name>
        <message>
            <location filename="../../src/circlekeeper/ui/profiles.py" />
            <source>Who is using circlekeeper?</source>
            <translation>¿Quién está usando circlekeeper?</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/profiles.py" />
            <source>Profiles</source>
            <translation>Perfiles</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/profiles.py" />
            <source>&amp;PIN</source>
            <translation>&amp;PIN</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/profiles.py" />
            <source>PIN</source>
            <translation>PIN</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/profiles.py" />
            <source>Message</source>
            <translation>Mensaje</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/profiles.py" />
            <source>&amp;Continue</source>
            <translation>&amp;Continuar</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/profiles.py" />
            <source>Continue</source>
            <translation>Continuar</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/profiles.py" />
            <source>Choose your name. What you see depends on your role.</source>
            <translation>Elija su nombre. Lo que verá depende de su papel.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/profiles.py" />
            <source>Choose a name from the list.</source>
            <translation>Elija un nombre de la lista.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/profiles.py" />
            <source>That PIN is not right. Try again.</source>
            <translation>Ese PIN no es correcto. Inténtelo de nuevo.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/profiles.py" />
            <source>Choose who you are to go on.</source>
            <translation>Elija quién es usted para continuar.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/profiles.py" />
            <source>This role cannot sign in</source>
            <translation>Este rol no puede iniciar sesión</translation>
        </message>
    </context>
    <context>
        <name>ProfilesSection</name>
        <message>
            <location filename="../../src/circlekeeper/ui/profiles.py" />
            <source>Who uses circlekeeper</source>
            <translation>Quién usa circlekeeper</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/profiles.py" />
            <source>Profiles</source>
            <translation>Perfiles</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/profiles.py" />
            <source>Profile name</source>
            <translation>Nombre del perfil</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/profiles.py" />
            <source>Name</source>
            <translation>Nombre</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/profiles.py" />
            <source>Profile role</source>
            <translation>Papel del perfil</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/profiles.py" />
            <source>A&amp;dd profile</source>
            <translation>A&amp;ñadir perfil</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/profiles.py" />
            <source>Add profile</source>
            <translation>Añadir perfil</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/profiles.py" />
            <source>Save &amp;changes</source>
            <translation>Guardar &amp;cambios</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/profiles.py" />
            <source>Save changes to the profile</source>
            <translation>Guardar los cambios del perfil</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/profiles.py" />
            <source>Set PIN…</source>
            <translation>Fijar &amp;PIN…</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/profiles.py" />
            <source>Set the profile's PIN</source>
            <translation>Fijar el PIN del perfil</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/profiles.py" />
            <source>Remove PIN</source>
            <translation>Quitar PIN</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/profiles.py" />
            <source>Remove the profile's PIN</source>
            <translation>Quitar el PIN del perfil</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/profiles.py" />
            <source>Remo&amp;ve profile</source>
            <translation>&amp;Quitar perfil</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/profiles.py" />
            <source>Remove the profile</source>
            <translation>Quitar el perfil</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/profiles.py" />
            <source>The profile can no longer be chosen; what it recorded is kept.</source>
            <translation>El perfil ya no se podrá elegir; lo que registró se conserva.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/profiles.py" />
            <source>Profiles status</source>
            <translation>Estado de los perfiles</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/profiles.py" />
            <source>With more than one profile, circlekeeper asks who is using it when it opens. A private note is seen only by its author. A school resource officer sees no private notes and no equity (demographic) fields. A PIN can unlock the app lock when the records are not protected by a passphrase. Once a counselor or administrator has a PIN, every change here needs such a PIN; while a school resource officer has a profile, every counselor and administrator needs one.</source>
            <translation>Con más de un perfil, circlekeeper pregunta al abrirse quién lo está usando. Una nota privada solo la ve quien la escribió. Un/a oficial de recursos escolares no ve notas privadas ni datos de equidad (demográficos). Un PIN puede desbloquear la aplicación cuando los registros no están protegidos con una frase de acceso. En cuanto un/a consejero/a o administrador/a tiene PIN, cada cambio aquí necesita uno de esos PIN; mientras un/a oficial de recursos escolares tenga perfil, cada consejero/a y administrador/a necesita uno.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/profiles.py" />
            <source>The profiles could not be read just now.</source>
            <translation>No se pudieron leer los perfiles en este momento.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/profiles.py" />
            <source> (PIN set)</source>
            <translation> (con PIN)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/profiles.py" />
            <source>A PIN for the new profile</source>
            <translation>Un PIN para el nuevo perfil</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/profiles.py" />
            <source>While a school resource officer has a profile, counselors and administrators need a PIN. A PIN of 4 to 12 digits:</source>
            <translation>Mientras un/a oficial de recursos escolares tenga perfil, el personal de consejería y administración necesita un PIN. Un PIN de 4 a 12 dígitos:</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/profiles.py" />
            <source>Nothing was changed.</source>
            <translation>No se cambió nada.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/profiles.py" />
            <source>Profile added: {name}.</source>
            <translation>Perfil añadido: {name}.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/profiles.py" />
            <source>Nothing to save: the name and role are unchanged.</source>
            <translation>No hay nada que guardar: el nombre y el papel no cambiaron.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/profiles.py" />
            <source>Profile saved: {name}.</source>
            <translation>Perfil guardado: {name}.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/profiles.py" />
            <source>Profile removed: {name}.</source>
            <translation>Perfil quitado: {name}.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/profiles.py" />
            <source>Set a PIN</source>
            <translation>Fijar un PIN</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/profiles.py" />
            <source>A PIN of 4 to 12 digits:</source>
            <translation>Un PIN de 4 a 12 dígitos:</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/profiles.py" />
            <source>PIN saved.</source>
            <translation>PIN guardado.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/profiles.py" />
            <source>PIN removed.</source>
            <translation>PIN quitado.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/profiles.py" />
            <source>The profile could not be saved just now.</source>
            <translation>No se pudo guardar el perfil en este momento.</translation>
        </message>
        <message>
            <source>Set &amp;PIN…</source>
            <translation type="vanished">Fijar &amp;PIN…</translation>
        </message>
    </context>
    <context>
        <name>ProjectorWindow</name>
        <message>
            <location filename="../../src/circlekeeper/ui/live/projector.py" />
            <source>circlekeeper — projector</source>
            <translation>circlekeeper — proyector</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/projector.py" />
            <source>Projector view</source>
            <translation>Vista del proyector</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/projector.py" />
            <source>Question</source>
            <translation>Pregunta</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/projector.py" />
            <source>Question in a second language</source>
            <translation>Pregunta en un segundo idioma</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/projector.py" />
            <source>Guidelines</source>
            <translation>Pautas</translation>
        </message>
    </context>
    <context>
        <name>Protection</name>
        <message>
            <location filename="../../src/circlekeeper/ui/security/operations.py" />
            <source>That did not work ({problem}). Your records were not changed.</source>
            <translation>Eso no funcionó ({problem}). Sus registros no cambiaron.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/operations.py" />
            <source>{file} is not as expected: it is {state}. Please try again.</source>
            <translation>{file} no está como se esperaba: está {state}. Inténtelo de nuevo.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/operations.py" />
            <source>encrypted</source>
            <translation>cifrado</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/operations.py" />
            <source>not encrypted</source>
            <translation>sin cifrar</translation>
        </message>
    </context>
    <context>
        <name>ProtectionSection</name>
        <message>
            <location filename="../../src/circlekeeper/ui/security/protection.py" />
            <source>Protection</source>
            <translation>Protección</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/protection.py" />
            <source>Encryption status</source>
            <translation>Estado del cifrado</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/protection.py" />
            <source>C&amp;hange passphrase…</source>
            <translation>Ca&amp;mbiar la frase de acceso…</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/protection.py" />
            <source>Backups, newest first</source>
            <translation>Copias de seguridad, de la más reciente a la más antigua</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/protection.py" />
            <source>&amp;Back up now</source>
            <translation>&amp;Hacer copia ahora</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/protection.py" />
            <source>Restore…</source>
            <translation>&amp;Restaurar…</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/protection.py" />
            <source>Backup status</source>
            <translation>Estado de las copias de seguridad</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/protection.py" />
            <source>No rule (keep everything)</source>
            <translation>Sin norma (conservar todo)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/protection.py" />
            <source> years after closing</source>
            <translation> años después del cierre</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/protection.py" />
            <source>Keep closed cases for this many years</source>
            <translation>Conservar los casos cerrados durante esta cantidad de años</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/protection.py" />
            <source>Save &amp;rule</source>
            <translation>Guardar norma</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/protection.py" />
            <source>Prev&amp;iew…</source>
            <translation>Vis&amp;ta previa…</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/protection.py" />
            <source>Never</source>
            <translation>Nunca</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/protection.py" />
            <source> minutes without use</source>
            <translation> minutos sin uso</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/protection.py" />
            <source>Lock after this many minutes without use</source>
            <translation>Bloquear tras esta cantidad de minutos sin uso</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/protection.py" />
            <source>Lock no&amp;w (Ctrl+L)</source>
            <translation>&amp;Bloquear ahora (Ctrl+L)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/protection.py" />
            <source>These records are about children. Protect them if this laptop is left in a classroom or lost.</source>
            <translation>Estos registros tratan de menores. Protéjalos por si esta computadora se queda en un salón o se pierde.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/protection.py" />
            <source>Encryption</source>
            <translation>Cifrado</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/protection.py" />
            <source>Backups</source>
            <translation>Copias de seguridad</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/protection.py" />
            <source>Re&amp;tention</source>
            <translation>Conser&amp;vación</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/protection.py" />
            <source>Loc&amp;k</source>
            <translation>Bloq&amp;ueo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/protection.py" />
            <source>On: the file can only be read with the passphrase. Backups are encrypted too.</source>
            <translation>Activado: el archivo solo se puede leer con la frase de acceso. Las copias de seguridad también están cifradas.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/protection.py" />
            <source>Off: anyone who copies the file can read the records. Turn it on to require a passphrase.</source>
            <translation>Desactivado: cualquiera que copie el archivo puede leer los registros. Actívelo para exigir una frase de acceso.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/protection.py" />
            <source>Turn encryption &amp;off…</source>
            <translation>&amp;Desactivar el cifrado…</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/protection.py" />
            <source>Turn encryption &amp;on…</source>
            <translation>&amp;Activar el cifrado…</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/protection.py" />
            <source>These records are on the district's server. Its disk encryption and sign-ins are managed by IT.</source>
            <translation>Estos registros están en el servidor del distrito. El cifrado del disco y los inicios de sesión los gestiona el equipo de informática.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/protection.py" />
            <source>made by hand</source>
            <translation>hecha a mano</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/protection.py" />
            <source>at start</source>
            <translation>al iniciar</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/protection.py" />
            <source>after changes</source>
            <translation>tras cambios</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/protection.py" />
            <source>before an upgrade</source>
            <translation>antes de una actualización</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/protection.py" />
            <source>{when} — {why}, {size}</source>
            <translation>{when} — {why}, {size}</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/protection.py" />
            <source>These records are on the district's server: IT backs them up with the server's own routine (pg_dump).</source>
            <translation>Estos registros están en el servidor del distrito: el equipo de informática hace las copias de seguridad con la rutina propia del servidor (pg_dump).</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/protection.py" />
            <source>No backups yet.</source>
            <translation>Todavía no hay copias de seguridad.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/protection.py" />
            <source>Turn encryption on</source>
            <translation>Activar el cifrado</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/protection.py" />
            <source>Choose a passphrase. It will be asked for each time circlekeeper starts. If it is forgotten, nobody can open the records again, not even IT staff: write it down and keep it somewhere safe, away from this laptop. Your backups are encrypted with it too.</source>
            <translation>Elija una frase de acceso. Se pedirá cada vez que se inicie circlekeeper. Si se olvida, nadie podrá volver a abrir los registros, ni siquiera el personal de informática: anótela y guárdela en un lugar seguro, lejos de esta computadora. Sus copias de seguridad también se cifran con ella.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/protection.py" />
            <source>Encrypt</source>
            <translation>Cifrar</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/protection.py" />
            <source>Turning encryption on</source>
            <translation>Activando el cifrado</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/protection.py" />
            <source>Encrypting your records and backups. Please wait…</source>
            <translation>Cifrando sus registros y copias de seguridad. Espere, por favor…</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/protection.py" />
            <source>Encryption is on for {file}. The passphrase will be asked for each time it is opened.</source>
            <translation>El cifrado está activado para {file}. Se pedirá la frase de acceso cada vez que se abra.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/protection.py" />
            <source>Turn encryption off</source>
            <translation>Desactivar el cifrado</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/protection.py" />
            <source>The records will be stored without a passphrase: anyone who copies the file can read them. Existing backups stay encrypted with the current passphrase. Type the current passphrase to go on.</source>
            <translation>Los registros se guardarán sin frase de acceso: cualquiera que copie el archivo podrá leerlos. Las copias de seguridad existentes siguen cifradas con la frase de acceso actual. Escriba la frase de acceso actual para continuar.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/protection.py" />
            <source>Turn off</source>
            <translation>Desactivar</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/protection.py" />
            <source>That is not the current passphrase. Try again.</source>
            <translation>Esa no es la frase de acceso actual. Inténtelo de nuevo.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/protection.py" />
            <source>Turning encryption off</source>
            <translation>Desactivando el cifrado</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/protection.py" />
            <source>Storing your records without encryption. Please wait…</source>
            <translation>Guardando sus registros sin cifrado. Espere, por favor…</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/protection.py" />
            <source>Encryption is off for {file}. No passphrase will be asked for to open it.</source>
            <translation>El cifrado está desactivado para {file}. No se pedirá frase de acceso para abrirlo.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/protection.py" />
            <source>Change the passphrase</source>
            <translation>Cambiar la frase de acceso</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/protection.py" />
            <source>The records and the backups made with the current passphrase are encrypted again with the new one. The old passphrase will open nothing afterwards.</source>
            <translation>Los registros y las copias de seguridad hechas con la frase de acceso actual se vuelven a cifrar con la nueva. Después, la frase anterior ya no abrirá nada.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/protection.py" />
            <source>Change</source>
            <translation>Cambiar</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/protection.py" />
            <source>Changing the passphrase</source>
            <translation>Cambiando la frase de acceso</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/protection.py" />
            <source>Encrypting your records with the new passphrase. Please wait…</source>
            <translation>Cifrando sus registros con la nueva frase de acceso. Espere, por favor…</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/protection.py" />
            <source>The passphrase was changed. Use the new one from now on.</source>
            <translation>Se cambió la frase de acceso. Use la nueva a partir de ahora.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/protection.py" />
            <source>Backing up</source>
            <translation>Haciendo copia de seguridad</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/protection.py" />
            <source>Making a copy of your records…</source>
            <translation>Haciendo una copia de sus registros…</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/protection.py" />
            <source>Backed up to {file}.</source>
            <translation>Copia de seguridad guardada en {file}.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/protection.py" />
            <source>Restore this backup?</source>
            <translation>¿Restaurar esta copia de seguridad?</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/protection.py" />
            <source>Restore the backup from {when}? Your records go back to how they were then; changes made since are not in it. The records as they are now are not deleted: they are moved aside to a file next to the database.</source>
            <translation>¿Restaurar la copia de seguridad del {when}? Sus registros vuelven a como estaban entonces; los cambios posteriores no están en ella. Los registros tal como están ahora no se borran: se apartan a un archivo junto a la base de datos.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/protection.py" />
            <source>Restore</source>
            <translation>Restaurar</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/protection.py" />
            <source>The backup from {when} was restored. The records as they were before were moved aside, next to the database.</source>
            <translation>Se restauró la copia de seguridad del {when}. Los registros tal como estaban antes se apartaron junto a la base de datos.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/protection.py" />
            <source>This backup is not encrypted; turn encryption on again here if you want it.</source>
            <translation>Esta copia de seguridad no está cifrada; si lo desea, vuelva a activar el cifrado aquí.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/protection.py" />
            <source>Restoring a backup</source>
            <translation>Restaurando una copia de seguridad</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/protection.py" />
            <source>Putting the backup in place. Please wait…</source>
            <translation>Colocando la copia de seguridad. Espere, por favor…</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/protection.py" />
            <source>Retention</source>
            <translation>Conservación</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/protection.py" />
            <source>Set how many years to keep closed cases first.</source>
            <translation>Primero fije cuántos años se conservan los casos cerrados.</translation>
        </message>
        <message>
            <source>&amp;Restore…</source>
            <translation type="vanished">&amp;Restaurar…</translation>
        </message>
        <message>
            <source>&amp;Preview…</source>
            <translation type="vanished">&amp;Vista previa…</translation>
        </message>
        <message>
            <source>&amp;Lock now (Ctrl+L)</source>
            <translation type="vanished">&amp;Bloquear ahora (Ctrl+L)</translation>
        </message>
        <message>
            <source>Backu&amp;ps</source>
            <translation type="vanished">Copias de segu&amp;ridad</translation>
        </message>
    </context>
    <context>
        <name>QDialog</name>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/common.py" />
            <source>Cancel</source>
            <translation>Cancelar</translation>
        </message>
    </context>
    <context>
        <name>QWidget</name>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/calendar_export.py" />
            <source>Export calendar</source>
            <translation>Exportar calendario</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/calendar_export.py" />
            <source>Calendar files (*.ics)</source>
            <translation>Archivos de calendario (*.ics)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/calendar_export.py" />
            <source>Events show the kind of circle, the place, the time and first names only.</source>
            <translation>Los eventos muestran el tipo de círculo, el lugar, la hora y solo los nombres de pila.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/calendar_export.py" />
            <source>Events show the kind of circle, the place and the time; no names.</source>
            <translation>Los eventos muestran el tipo de círculo, el lugar y la hora; sin nombres.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/calendar_export.py" />
            <source>Wrote {circles} circle(s) and {follow_ups} follow-up(s) to {file}. Import it in Outlook or Google Calendar; importing again updates the same events and removes cancelled ones. {names}</source>
            <translation>Se escribieron {circles} círculo(s) y {follow_ups} seguimiento(s) en {file}. Impórtelo en Outlook o Google Calendar; al volver a importarlo se actualizan los mismos eventos y se quitan los cancelados. {names}</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/dialogs.py" />
            <source>{day}: {what} ({who})</source>
            <translation>{day}: {what} ({who})</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/dialogs.py" />
            <source>Follow-up</source>
            <translation>Seguimiento</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/dialogs.py" />
            <source>nobody named</source>
            <translation>sin persona asignada</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/dialogs.py" />
            <source>Follow-ups are still open</source>
            <translation>Aún hay seguimientos abiertos</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/dialogs.py" />
            <source>These follow-ups are still open on this case:

{lines}

Cancel them, keep them open (they still show as due), or leave the case open?</source>
            <translation>Estos seguimientos siguen abiertos en este caso:

{lines}

¿Los cancela, los mantiene abiertos (seguirán apareciendo como pendientes) o deja el caso abierto?</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/dialogs.py" />
            <source>Cancel &amp;them and close</source>
            <translation>Cancelar&amp;los y cerrar</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/dialogs.py" />
            <source>Cancel the follow-ups and close the case</source>
            <translation>Cancelar los seguimientos y cerrar el caso</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/dialogs.py" />
            <source>&amp;Keep them and close</source>
            <translation>&amp;Mantenerlos y cerrar</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/dialogs.py" />
            <source>Keep the follow-ups open and close the case</source>
            <translation>Mantener abiertos los seguimientos y cerrar el caso</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/dialogs.py" />
            <source>&amp;Don't close</source>
            <translation>&amp;No cerrar</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/dialogs.py" />
            <source>Don't close the case</source>
            <translation>No cerrar el caso</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/history.py" />
            <source>Case</source>
            <translation>Caso</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/history.py" />
            <source>Circle</source>
            <translation>Círculo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/history.py" />
            <source>Agreement</source>
            <translation>Acuerdo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/resume.py" />
            <source>Stage {n}, {title}, {name} holds the piece</source>
            <translation>Etapa {n}, {title}, {name} tiene la pieza para hablar</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/resume.py" />
            <source>Stage {n}, {title}</source>
            <translation>Etapa {n}, {title}</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/resume.py" />
            <source>earlier</source>
            <translation>antes</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/resume.py" />
            <source>Resume the circle?</source>
            <translation>¿Reanudar el círculo?</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/resume.py" />
            <source>A circle was interrupted: “{title}”, started {when}.

Resume it where it stopped? The same stage, the same speaker and all notes are kept.</source>
            <translation>Se interrumpió un círculo: «{title}», iniciado {when}.

¿Reanudarlo donde se detuvo? Se conservan la misma etapa, la misma persona con la palabra y todas las notas.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/resume.py" />
            <source>It resumes at: {where}.</source>
            <translation>Se reanuda en: {where}.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/resume.py" />
            <source>{n} other circles were also left running; they stay as they are.</source>
            <translation>Otros {n} círculos también quedaron en curso; se quedan como están.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/resume.py" />
            <source>&amp;Resume</source>
            <translation>&amp;Reanudar</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/resume.py" />
            <source>Resume</source>
            <translation>Reanudar</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/resume.py" />
            <source>&amp;Not now</source>
            <translation>&amp;Ahora no</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/resume.py" />
            <source>Not now</source>
            <translation>Ahora no</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/profiles.py" />
            <source>Counselor or coordinator</source>
            <translation>Consejero/a o coordinador/a</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/profiles.py" />
            <source>School resource officer</source>
            <translation>Oficial de recursos escolares</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/profiles.py" />
            <source>Administrator</source>
            <translation>Administrador/a</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/profiles.py" />
            <source>No profile chosen: only what may be shared is shown</source>
            <translation>No se eligió ningún perfil: solo se muestra lo que se puede compartir</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/profiles.py" />
            <source>Using circlekeeper as {name} (no profiles)</source>
            <translation>Usando circlekeeper como {name} (sin perfiles)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/profiles.py" />
            <source>No profiles: one person uses circlekeeper</source>
            <translation>Sin perfiles: una sola persona usa circlekeeper</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/profiles.py" />
            <source>Using circlekeeper as {name}, {role}</source>
            <translation>Usando circlekeeper como {name}, {role}</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/search/popup.py" />
            <source>Grade {grade}</source>
            <translation>Grado {grade}</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/search/popup.py" />
            <source>ID {id}</source>
            <translation>ID {id}</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/search/popup.py" />
            <source>People</source>
            <translation>Personas</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/search/popup.py" />
            <source>Cases</source>
            <translation>Casos</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/search/popup.py" />
            <source>Circles</source>
            <translation>Círculos</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/search/popup.py" />
            <source>Agreements</source>
            <translation>Acuerdos</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/search/popup.py" />
            <source>Agreement items</source>
            <translation>Compromisos del acuerdo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/search/popup.py" />
            <source>Notes</source>
            <translation>Notas</translation>
        </message>
    </context>
    <context>
        <name>ReasonDialog</name>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/dialogs.py" />
            <source>Reason</source>
            <translation>Motivo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/dialogs.py" />
            <source>e.g. The conference was postponed</source>
            <translation>p. ej. Se aplazó la conferencia</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/dialogs.py" />
            <source>Problem with the reason</source>
            <translation>Problema con el motivo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/dialogs.py" />
            <source>Go &amp;back</source>
            <translation>&amp;Volver</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/dialogs.py" />
            <source>Go back a step</source>
            <translation>Volver un paso atrás</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/dialogs.py" />
            <source>Say why, in a few words.</source>
            <translation>Diga por qué, en pocas palabras.</translation>
        </message>
    </context>
    <context>
        <name>ReferralSource</name>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/common.py" />
            <source>Teacher</source>
            <translation>Docente</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/common.py" />
            <source>Administrator</source>
            <translation>Administrador/a</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/common.py" />
            <source>School resource officer (SRO)</source>
            <translation>Oficial de recursos escolares (SRO)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/common.py" />
            <source>Counselor</source>
            <translation>Consejero/a</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/common.py" />
            <source>Parent or guardian</source>
            <translation>Madre, padre o tutor</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/common.py" />
            <source>The student</source>
            <translation>La persona estudiante</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/common.py" />
            <source>Someone else</source>
            <translation>Otra persona</translation>
        </message>
    </context>
    <context>
        <name>ReportView</name>
        <message>
            <location filename="../../src/circlekeeper/ui/reports/report_view.py" />
            <source>The report</source>
            <translation>El informe</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/reports/report_view.py" />
            <source>Choose a report and its period, then press Build report. Numbers for fewer students than the smallest group you set are hidden.</source>
            <translation>Elija un informe y su periodo, y pulse Generar informe. Las cifras sobre menos estudiantes que el grupo mínimo que fijó quedan ocultas.</translation>
        </message>
    </context>
    <context>
        <name>Reports</name>
        <message>
            <location filename="../../src/circlekeeper/ui/reports/labels.py" />
            <source>Save P&amp;DF…</source>
            <translation>Guardar &amp;PDF…</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/reports/labels.py" />
            <source>Save E&amp;xcel…</source>
            <translation>Guardar E&amp;xcel…</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/reports/labels.py" />
            <source>Excel workbook (*.xlsx)</source>
            <translation>Libro de Excel (*.xlsx)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/reports/labels.py" />
            <source>Save C&amp;SV…</source>
            <translation>Guardar C&amp;SV…</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/reports/labels.py" />
            <source>CSV, one figure per line (*.csv)</source>
            <translation>CSV, una cifra por línea (*.csv)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/reports/labels.py" />
            <source>Sa&amp;ve HTML…</source>
            <translation>Guardar &amp;HTML…</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/reports/labels.py" />
            <source>Save the report as PDF</source>
            <translation>Guardar el informe como PDF</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/reports/labels.py" />
            <source>Save the report as an Excel workbook</source>
            <translation>Guardar el informe como libro de Excel</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/reports/labels.py" />
            <source>Save the report as CSV, one figure per line</source>
            <translation>Guardar el informe como CSV, una cifra por línea</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/reports/labels.py" />
            <source>Save the report as HTML</source>
            <translation>Guardar el informe como HTML</translation>
        </message>
        <message>
            <source>Save &amp;HTML…</source>
            <translation type="vanished">Guardar &amp;HTML…</translation>
        </message>
    </context>
    <context>
        <name>ReportsArea</name>
        <message>
            <location filename="../../src/circlekeeper/ui/reports/area.py" />
            <source>Reports</source>
            <translation>Informes</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/reports/area.py" />
            <source>Report</source>
            <translation>Informe</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/reports/area.py" />
            <source>What the report shows</source>
            <translation>Lo que muestra el informe</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/reports/area.py" />
            <source>First day of the period</source>
            <translation>Primer día del periodo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/reports/area.py" />
            <source>Last day of the period</source>
            <translation>Último día del periodo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/reports/area.py" />
            <source>School &amp;year</source>
            <translation>Año &amp;escolar</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/reports/area.py" />
            <source>Period: this school year so far</source>
            <translation>Periodo: lo que va del año escolar</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/reports/area.py" />
            <source>Last &amp;month</source>
            <translation>Último &amp;mes</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/reports/area.py" />
            <source>Period: last month</source>
            <translation>Periodo: el mes pasado</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/reports/area.py" />
            <source>School</source>
            <translation>Escuela</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/reports/area.py" />
            <source>All schools</source>
            <translation>Todas las escuelas</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/reports/area.py" />
            <source> students</source>
            <translation> estudiantes</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/reports/area.py" />
            <source>Smallest group shown</source>
            <translation>Grupo más pequeño que se muestra</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/reports/area.py" />
            <source>Any figure about fewer students than this is hidden, and so is any figure that would let a hidden one be worked out. 10 is common; never go below your district's rule.</source>
            <translation>Se oculta toda cifra sobre menos estudiantes que este número, y también toda cifra que permita deducir una oculta. Lo habitual es 10; nunca baje de la norma de su distrito.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/reports/area.py" />
            <source>&amp;Use this smallest group for every report</source>
            <translation>&amp;Usar este mínimo en todos los informes</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/reports/area.py" />
            <source>Make this smallest group the school's rule for every report</source>
            <translation>Hacer de este grupo mínimo la norma de la escuela para todos los informes</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/reports/area.py" />
            <source>Reports here and on the command line start from this number from now on.</source>
            <translation>A partir de ahora, los informes aquí y en la línea de comandos empiezan con este número.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/reports/area.py" />
            <source>Language of the report</source>
            <translation>Idioma del informe</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/reports/area.py" />
            <source>&amp;Internal view: show every figure (never share it)</source>
            <translation>Vista interna: todas &amp;las cifras (no compartir)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/reports/area.py" />
            <source>Internal view, nothing hidden</source>
            <translation>Vista interna, nada oculto</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/reports/area.py" />
            <source>A row for each sc&amp;hool and the district total</source>
            <translation>U&amp;na fila por cada escuela y el total del distrito</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/reports/area.py" />
            <source>A row for each school and the district total</source>
            <translation>Una fila por cada escuela y el total del distrito</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/reports/area.py" />
            <source>For all schools: adds a table comparing the schools, with small numbers hidden for each school.</source>
            <translation>Para todas las escuelas: añade una tabla que compara las escuelas, con los números pequeños ocultos en cada escuela.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/reports/area.py" />
            <source>&amp;Build report</source>
            <translation>&amp;Generar informe</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/reports/area.py" />
            <source>Build the report</source>
            <translation>Generar el informe</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/reports/area.py" />
            <source>Build the report (Ctrl+Enter)</source>
            <translation>Generar el informe (Ctrl+Intro)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/reports/area.py" />
            <source>Report messages</source>
            <translation>Mensajes del informe</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/reports/area.py" />
            <source>Save what is shown:</source>
            <translation>Guardar lo que se muestra:</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/reports/area.py" />
            <source>&amp;Print…</source>
            <translation>Imp&amp;rimir…</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/reports/area.py" />
            <source>Print the report with a preview</source>
            <translation>Imprimir el informe con vista previa</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/reports/area.py" />
            <source>&amp;Report:</source>
            <translation>&amp;Informe:</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/reports/area.py" />
            <source>&amp;Language:</source>
            <translation>Idiom&amp;a:</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/reports/area.py" />
            <source>&amp;From:</source>
            <translation>&amp;Desde:</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/reports/area.py" />
            <source>&amp;To:</source>
            <translation>Has&amp;ta:</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/reports/area.py" />
            <source>S&amp;chool:</source>
            <translation>Es&amp;cuela:</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/reports/area.py" />
            <source>Smallest &amp;group:</source>
            <translation>Grup&amp;o mínimo:</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/reports/area.py" />
            <source>From now on every report starts from {n} students.</source>
            <translation>A partir de ahora, todos los informes empiezan con {n} estudiantes.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/reports/area.py" />
            <source>Building the report…</source>
            <translation>Generando el informe…</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/reports/area.py" />
            <source>The report could not be built. Nothing was changed. Try again; if it keeps happening, the details are in the log file.</source>
            <translation>No se pudo generar el informe. No se cambió nada. Inténtelo de nuevo; si sigue pasando, los detalles están en el archivo de registro.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/reports/area.py" />
            <source>Your choices changed: build the report again to save it.</source>
            <translation>Sus opciones cambiaron: genere el informe de nuevo para guardarlo.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/reports/area.py" />
            <source>The internal view is for this screen only: build the report without it to save or print it.</source>
            <translation>La vista interna es solo para esta pantalla: genere el informe sin ella para guardarlo o imprimirlo.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/reports/area.py" />
            <source>Save the report</source>
            <translation>Guardar el informe</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/reports/area.py" />
            <source>Saved {file}.</source>
            <translation>Se guardó {file}.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/reports/area.py" />
            <source>Print preview — {title}</source>
            <translation>Vista previa de impresión — {title}</translation>
        </message>
    </context>
    <context>
        <name>RetentionDialog</name>
        <message>
            <location filename="../../src/circlekeeper/ui/security/retention.py" />
            <source>Old records</source>
            <translation>Registros antiguos</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/retention.py" />
            <source>Records that would be removed</source>
            <translation>Registros que se quitarían</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/retention.py" />
            <source>Record</source>
            <translation>Registro</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/retention.py" />
            <source>Day</source>
            <translation>Día</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/retention.py" />
            <source>Circles</source>
            <translation>Círculos</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/retention.py" />
            <source>Agreements</source>
            <translation>Acuerdos</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/retention.py" />
            <source>Notes</source>
            <translation>Notas</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/retention.py" />
            <source>Follow-ups</source>
            <translation>Seguimientos</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/retention.py" />
            <source>&amp;Delete them completely</source>
            <translation>&amp;Borrarlos por completo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/retention.py" />
            <source>Delete them completely</source>
            <translation>Borrarlos por completo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/retention.py" />
            <source>&amp;Anonymise them (keep dates and outcomes for counting, remove names and words)</source>
            <translation>&amp;Anonimizarlos (conservar fechas y resultados para contar, quitar nombres y textos)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/retention.py" />
            <source>Anonymise them</source>
            <translation>Anonimizarlos</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/retention.py" />
            <source>Type the word to confirm</source>
            <translation>Escriba la palabra para confirmar</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/retention.py" />
            <source>Apply</source>
            <translation>Aplicar</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/retention.py" />
            <source>Close</source>
            <translation>Cerrar</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/retention.py" />
            <source>Case: {category}, referred {day}</source>
            <translation>Caso: {category}, remitido el {day}</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/retention.py" />
            <source>Circle tied to no case: {kind}</source>
            <translation>Círculo sin caso: {kind}</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/retention.py" />
            <source>A guardian who left</source>
            <translation>Una madre, padre o tutor que se fue</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/retention.py" />
            <source>A student who left</source>
            <translation>Una persona estudiante que se fue</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/retention.py" />
            <source>Nothing is older than {years} years. Nothing to do.</source>
            <translation>Nada tiene más de {years} años. No hay nada que hacer.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/retention.py" />
            <source>Kept {years} years: due is anything closed, held or left on or before {day}. {cases} closed cases (with {circles} circles, {agreements} agreements and {notes} notes), {loose} circles tied to no case, and {people} students and guardians who left and whom no kept record names.</source>
            <translation>Se conservan {years} años: corresponde todo lo cerrado, realizado o dejado hasta el {day}. {cases} casos cerrados (con {circles} círculos, {agreements} acuerdos y {notes} notas), {loose} círculos sin caso y {people} estudiantes y familiares que se fueron y que ningún registro conservado nombra.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/retention.py" />
            <source>Backups</source>
            <translation>Copias de seguridad</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/retention.py" />
            <source>&amp;Keep them (they still hold those records until they rotate out)</source>
            <translation>&amp;Conservarlas (siguen teniendo esos registros hasta que se renueven)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/retention.py" />
            <source>Keep the backups</source>
            <translation>Conservar las copias de seguridad</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/retention.py" />
            <source>De&amp;lete them, then make one fresh backup of what is kept</source>
            <translation>&amp;Borrarlas y hacer una copia nueva de lo que se conserva</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/retention.py" />
            <source>Delete the backups</source>
            <translation>Borrar las copias de seguridad</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/retention.py" />
            <source>Apply the same rule to &amp;them (encrypted backups stay encrypted)</source>
            <translation>Aplicarles la &amp;misma norma (las copias cifradas siguen cifradas)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/retention.py" />
            <source>Apply the rule to the backups</source>
            <translation>Aplicar la norma a las copias de seguridad</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/retention.py" />
            <source>No backup holds records older than the rule.</source>
            <translation>Ninguna copia de seguridad tiene registros más antiguos que la norma.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/retention.py" />
            <source>1 backup still holds records older than the rule (made {dates}).</source>
            <translation>1 copia de seguridad todavía tiene registros más antiguos que la norma (hecha el {dates}).</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/retention.py" />
            <source>{count} backups still hold records older than the rule (made {dates}).</source>
            <translation>{count} copias de seguridad todavía tienen registros más antiguos que la norma (hechas el {dates}).</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/retention.py" />
            <source>Beside the database is also a copy moved aside</source>
            <translation>Junto a la base de datos también hay una copia apartada</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/retention.py" />
            <source>Beside the database are also {count} copies moved aside</source>
            <translation>Junto a la base de datos también hay {count} copias apartadas</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/retention.py" />
            <source>by a restore or when it was found damaged ({names}); they may hold old records. circlekeeper never deletes them: delete them yourself once you no longer need them.</source>
            <translation>por una restauración o al encontrarse dañada ({names}); pueden tener registros antiguos. circlekeeper nunca las borra: bórrelas usted cuando ya no las necesite.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/retention.py" />
            <source>delete</source>
            <translation>borrar</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/retention.py" />
            <source>anonymise</source>
            <translation>anonimizar</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/retention.py" />
            <source>Backups made before keep the old records.</source>
            <translation>Las copias de seguridad hechas antes conservan los registros antiguos.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/retention.py" />
            <source>This cannot be undone. {backups} To go on, type the word {word} below.</source>
            <translation>Esto no se puede deshacer. {backups} Para continuar, escriba abajo la palabra {word}.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/retention.py" />
            <source>That did not finish: {problem}</source>
            <translation>Eso no terminó: {problem}</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/retention.py" />
            <source>{cases} cases and {circles} circles deleted, with {agreements} agreements; {people} people who left removed.</source>
            <translation>Se borraron {cases} casos y {circles} círculos, con {agreements} acuerdos; se quitaron {people} personas que se fueron.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/retention.py" />
            <source>{cases} cases and {circles} circles anonymised, with {agreements} agreements; {people} people who left removed.</source>
            <translation>Se anonimizaron {cases} casos y {circles} círculos, con {agreements} acuerdos; se quitaron {people} personas que se fueron.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/retention.py" />
            <source>The database file was wiped: no removed word is left in it.</source>
            <translation>Se limpió el archivo de la base de datos: no queda en él ninguna palabra quitada.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/retention.py" />
            <source>{count} backups deleted; a fresh backup was made.</source>
            <translation>Se borraron {count} copias de seguridad; se hizo una copia nueva.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/retention.py" />
            <source>The same rule was applied to {count} backups.</source>
            <translation>Se aplicó la misma norma a {count} copias de seguridad.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/retention.py" />
            <source>{count} backups could not be changed and still hold old records.</source>
            <translation>No se pudieron cambiar {count} copias de seguridad y todavía tienen registros antiguos.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/security/retention.py" />
            <source>{count} backups still hold the old records.</source>
            <translation>{count} copias de seguridad todavía tienen los registros antiguos.</translation>
        </message>
    </context>
    <context>
        <name>RingWidget</name>
        <message>
            <location filename="../../src/circlekeeper/ui/live/ring.py" />
            <source>Seats in the circle</source>
            <translation>Asientos del círculo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/ring.py" />
            <source>speaking</source>
            <translation>hablando</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/ring.py" />
            <source>spoke</source>
            <translation>habló</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/ring.py" />
            <source>passed</source>
            <translation>pasó</translation>
        </message>
    </context>
    <context>
        <name>Role</name>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/common.py" />
            <source>Person responsible</source>
            <translation>Persona responsable</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/common.py" />
            <source>Harmed person</source>
            <translation>Persona afectada</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/common.py" />
            <source>Both harmed and responsible</source>
            <translation>Afectada y responsable a la vez</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/common.py" />
            <source>Supporter</source>
            <translation>Persona de apoyo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/common.py" />
            <source>Parent or guardian</source>
            <translation>Madre, padre o tutor</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/common.py" />
            <source>Community member / affected other</source>
            <translation>Comunidad u otra persona afectada</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/common.py" />
            <source>Administrator</source>
            <translation>Administrador/a</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/common.py" />
            <source>Observer</source>
            <translation>Observador/a</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/labels.py" />
            <source>Circle member</source>
            <translation>Participante del círculo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/labels.py" />
            <source>Observer (outer ring)</source>
            <translation>Observador/a (anillo exterior)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/labels.py" />
            <source>Facilitator</source>
            <translation>Facilitador/a</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/labels.py" />
            <source>Co-facilitator</source>
            <translation>Cofacilitador/a</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/labels.py" />
            <source>Supporter of {name}</source>
            <translation>Persona de apoyo de {name}</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/labels.py" />
            <source>Guardian of {name}</source>
            <translation>Tutor/a de {name}</translation>
        </message>
    </context>
    <context>
        <name>RoleWord</name>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/common.py" />
            <source>{name} ({role})</source>
            <translation>{name} ({role})</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/labels.py" />
            <source>responsible</source>
            <translation>responsable</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/labels.py" />
            <source>harmed</source>
            <translation>afectado/a</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/labels.py" />
            <source>harmed and responsible</source>
            <translation>afectado/a y responsable</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/labels.py" />
            <source>supporter</source>
            <translation>apoyo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/labels.py" />
            <source>guardian</source>
            <translation>madre, padre o tutor</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/labels.py" />
            <source>community</source>
            <translation>comunidad</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/labels.py" />
            <source>administrator</source>
            <translation>administrador/a</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/labels.py" />
            <source>observer</source>
            <translation>observador/a</translation>
        </message>
    </context>
    <context>
        <name>RosterFields</name>
        <message>
            <source>First name</source>
            <translation type="vanished">Nombre</translation>
        </message>
        <message>
            <source>Last name</source>
            <translation type="vanished">Apellido</translation>
        </message>
        <message>
            <source>Full name</source>
            <translation type="vanished">Nombre completo</translation>
        </message>
        <message>
            <source>Student/staff ID</source>
            <translation type="vanished">ID de estudiante o personal</translation>
        </message>
        <message>
            <source>Guardian name</source>
            <translation type="vanished">Nombre del tutor o tutora</translation>
        </message>
        <message>
            <source>Guardian first name</source>
            <translation type="vanished">Nombre del tutor o tutora (de pila)</translation>
        </message>
        <message>
            <source>Guardian last name</source>
            <translation type="vanished">Apellido del tutor o tutora</translation>
        </message>
        <message>
            <source>Guardian phone</source>
            <translation type="vanished">Teléfono del tutor o tutora</translation>
        </message>
        <message>
            <source>Guardian email</source>
            <translation type="vanished">Correo del tutor o tutora</translation>
        </message>
        <message>
            <source>Guardian relationship</source>
            <translation type="vanished">Parentesco del tutor o tutora</translation>
        </message>
    </context>
    <context>
        <name>RosterImportDialog</name>
        <message>
            <location filename="../../src/circlekeeper/ui/people/import_dialog.py" />
            <source>Import a roster</source>
            <translation>Importar una lista de estudiantes</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/import_dialog.py" />
            <source>No file chosen yet</source>
            <translation>Aún no se ha elegido ningún archivo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/import_dialog.py" />
            <source>Roster file</source>
            <translation>Archivo de la lista</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/import_dialog.py" />
            <source>&amp;Choose file…</source>
            <translation>&amp;Elegir archivo…</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/import_dialog.py" />
            <source>Choose a roster file</source>
            <translation>Elegir un archivo de lista</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/import_dialog.py" />
            <source>File summary</source>
            <translation>Resumen del archivo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/import_dialog.py" />
            <source>S&amp;heet</source>
            <translation>&amp;Hoja</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/import_dialog.py" />
            <source>Sheet of the workbook to read</source>
            <translation>Hoja del libro de Excel que se leerá</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/import_dialog.py" />
            <source>Use the &amp;usual columns</source>
            <translation>&amp;Usar las columnas habituales</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/import_dialog.py" />
            <source>Forget the column choices and use the usual ones for this system</source>
            <translation>Olvidar las columnas elegidas y usar las habituales de este sistema</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/import_dialog.py" />
            <source>Rows that will be imported</source>
            <translation>Filas que se importarán</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/import_dialog.py" />
            <source>Problems</source>
            <translation>Problemas</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/import_dialog.py" />
            <source>Problems found in the file</source>
            <translation>Problemas encontrados en el archivo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/import_dialog.py" />
            <source>&amp;Skip rows with problems and import the rest</source>
            <translation>&amp;Omitir las filas con problemas e importar el resto</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/import_dialog.py" />
            <source>Skip rows with problems</source>
            <translation>Omitir las filas con problemas</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/import_dialog.py" />
            <source>Students this roster no longer lists</source>
            <translation>Estudiantes que ya no figuran en esta lista</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/import_dialog.py" />
            <source>Archive the students this roster no longer lists</source>
            <translation>Archivar a las personas estudiantes que ya no figuran en esta lista</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/import_dialog.py" />
            <source>Import progress</source>
            <translation>Avance de la importación</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/import_dialog.py" />
            <source>&amp;Import</source>
            <translation>&amp;Importar</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/import_dialog.py" />
            <source>Import the roster</source>
            <translation>Importar la lista</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/import_dialog.py" />
            <source>Close</source>
            <translation>Cerrar</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/import_dialog.py" />
            <source>Roster &amp;file</source>
            <translation>&amp;Archivo de la lista</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/import_dialog.py" />
            <source>Colu&amp;mns (choose what each one holds)</source>
            <translation>Colu&amp;mnas (elija qué contiene cada una)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/import_dialog.py" />
            <source>Preview</source>
            <translation>Vista previa</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/import_dialog.py" />
            <source>Choose a CSV or Excel file exported from your student information system. Nothing is saved until you press Import, and an import either completes or leaves your records as they were. People already listed (same ID) are updated.</source>
            <translation>Elija un archivo CSV o de Excel exportado de su sistema de información estudiantil. No se guarda nada hasta que pulse Importar, y una importación se completa entera o deja sus registros como estaban. Las personas que ya figuran (con el mismo ID) se actualizan.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/import_dialog.py" />
            <source>Roster files (*.csv *.txt *.xlsx);;All files (*)</source>
            <translation>Listas de estudiantes (*.csv *.txt *.xlsx);;Todos los archivos (*)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/import_dialog.py" />
            <source>That choice was not kept: {problem}</source>
            <translation>No se mantuvo esa elección: {problem}</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/import_dialog.py" />
            <source>This workbook has several sheets: choose the one with the roster.</source>
            <translation>Este libro tiene varias hojas: elija la que contiene la lista.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/import_dialog.py" />
            <source>The file could not be read ({problem}). Check it is a CSV file.</source>
            <translation>No se pudo leer el archivo ({problem}). Compruebe que sea un archivo CSV.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/import_dialog.py" />
            <source>Choose a file to see what it holds.</source>
            <translation>Elija un archivo para ver lo que contiene.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/import_dialog.py" />
            <source>{new} new, {updated} changed, {unchanged} unchanged</source>
            <translation>nuevas: {new}; con cambios: {updated}; sin cambios: {unchanged}</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/import_dialog.py" />
            <source>1 row with a problem</source>
            <translation>1 fila con un problema</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/import_dialog.py" />
            <source>{count} rows with problems</source>
            <translation>{count} filas con problemas</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/import_dialog.py" />
            <source>A {system} file, read as {encoding}: {rows}; {problems}.</source>
            <translation>Un archivo de {system}, leído como {encoding}: {rows}; {problems}.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/import_dialog.py" />
            <source>Line {line}: {message}</source>
            <translation>Línea {line}: {message}</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/import_dialog.py" />
            <source>{name} ({id}), not on this roster</source>
            <translation>{name} ({id}), no figura en esta lista</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/import_dialog.py" />
            <source>&amp;Archive the 1 student this roster no longer lists (records are kept)</source>
            <translation>&amp;Archivar a la persona estudiante que ya no figura en esta lista (sus registros se conservan)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/import_dialog.py" />
            <source>&amp;Archive the {count} students this roster no longer lists (records are kept)</source>
            <translation>&amp;Archivar a las {count} personas estudiantes que ya no figuran en esta lista (sus registros se conservan)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/import_dialog.py" />
            <source>Cancel import</source>
            <translation>Cancelar la importación</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/import_dialog.py" />
            <source>Importing…</source>
            <translation>Importando…</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/import_dialog.py" />
            <source>Roster imported: {created} added, {updated} updated, {skipped} skipped, {guardians} guardian links made, {archived} archived.</source>
            <translation>Lista importada: {created} agregadas, {updated} actualizadas, {skipped} omitidas, {guardians} vínculos con tutores creados, {archived} archivadas.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/import_dialog.py" />
            <source>Import cancelled. Nothing was imported.</source>
            <translation>Importación cancelada. No se importó nada.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/import_dialog.py" />
            <source>Nothing was imported: {problem}</source>
            <translation>No se importó nada: {problem}</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/import_dialog.py" />
            <source>Nothing was imported: the records could not be saved just now. Your existing records are unchanged; try again.</source>
            <translation>No se importó nada: no se pudieron guardar los registros en este momento. Sus registros siguen igual; inténtelo de nuevo.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/import_dialog.py" />
            <source>Cancelling… nothing will be imported.</source>
            <translation>Cancelando… no se importará nada.</translation>
        </message>
        <message>
            <source>How the file's columns are used</source>
            <translation type="vanished">Cómo se usan las columnas del archivo</translation>
        </message>
        <message>
            <source>In the file</source>
            <translation type="vanished">En el archivo</translation>
        </message>
        <message>
            <source>Used as</source>
            <translation type="vanished">Se usa como</translation>
        </message>
        <message>
            <source>Columns</source>
            <translation type="vanished">Columnas</translation>
        </message>
        <message>
            <source>Choose a CSV file exported from your student information system. Nothing is saved until you press Import, and an import either completes or leaves your records as they were. People already listed (same ID) are updated.</source>
            <translation type="vanished">Elija un archivo CSV exportado de su sistema de información estudiantil. No se guarda nada hasta que pulse Importar, y una importación o se completa o deja sus registros como estaban. Las personas que ya están en la lista (con la misma identificación) se actualizan.</translation>
        </message>
        <message>
            <source>Roster files (*.csv *.txt);;All files (*)</source>
            <translation type="vanished">Archivos de lista (*.csv *.txt);;Todos los archivos (*)</translation>
        </message>
        <message>
            <source>Not used</source>
            <translation type="vanished">No se usa</translation>
        </message>
        <message>
            <source>1 row ready</source>
            <translation type="vanished">1 fila lista</translation>
        </message>
        <message>
            <source>{count} rows ready</source>
            <translation type="vanished">{count} filas listas</translation>
        </message>
        <message>
            <source>Read as {encoding}. {rows}; {problems}.</source>
            <translation type="vanished">Leído como {encoding}. {rows}; {problems}.</translation>
        </message>
        <message>
            <source>Roster imported: {created} added, {updated} updated, {skipped} skipped, {guardians} guardian links made.</source>
            <translation type="vanished">Lista importada: {created} añadidas, {updated} actualizadas, {skipped} omitidas, {guardians} vínculos con familias creados.</translation>
        </message>
    </context>
    <context>
        <name>RosterPreviewModel</name>
        <message>
            <location filename="../../src/circlekeeper/ui/people/roster_preview.py" />
            <source>New</source>
            <translation>Nueva</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/roster_preview.py" />
            <source>Unchanged</source>
            <translation>Sin cambios</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/roster_preview.py" />
            <source>(empty)</source>
            <translation>(vacío)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/roster_preview.py" />
            <source>{field}: {old} → {new}</source>
            <translation>{field}: {old} → {new}</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/roster_preview.py" />
            <source>Line</source>
            <translation>Línea</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/roster_preview.py" />
            <source>What happens</source>
            <translation>Qué pasará</translation>
        </message>
    </context>
    <context>
        <name>ScriptEditor</name>
        <message>
            <location filename="../../src/circlekeeper/ui/scripts/editor.py" />
            <source>Script title</source>
            <translation>Título del guion</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/scripts/editor.py" />
            <source>Kind of circle the script is for</source>
            <translation>Tipo de círculo para el que es el guion</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/scripts/editor.py" />
            <source>Script purpose</source>
            <translation>Propósito del guion</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/scripts/editor.py" />
            <source>Script length</source>
            <translation>Duración del guion</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/scripts/editor.py" />
            <source>Stages</source>
            <translation>Etapas</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/scripts/editor.py" />
            <source>Alt+Up / Alt+Down move the selected stage; Delete removes it</source>
            <translation>Alt+Arriba / Alt+Abajo mueven la etapa seleccionada; Supr la quita</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/scripts/editor.py" />
            <source>A&amp;dd stage</source>
            <translation>A&amp;ñadir etapa</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/scripts/editor.py" />
            <source>Add a stage after the selected one</source>
            <translation>Añadir una etapa después de la seleccionada</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/scripts/editor.py" />
            <source>Re&amp;move</source>
            <translation>&amp;Quitar</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/scripts/editor.py" />
            <source>Remove the selected stage</source>
            <translation>Quitar la etapa seleccionada</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/scripts/editor.py" />
            <source>Move &amp;up</source>
            <translation>S&amp;ubir</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/scripts/editor.py" />
            <source>Move the selected stage up</source>
            <translation>Subir la etapa seleccionada</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/scripts/editor.py" />
            <source>Move do&amp;wn</source>
            <translation>Ba&amp;jar</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/scripts/editor.py" />
            <source>Move the selected stage down</source>
            <translation>Bajar la etapa seleccionada</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/scripts/editor.py" />
            <source>Stage type</source>
            <translation>Tipo de etapa</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/scripts/editor.py" />
            <source>Stage title</source>
            <translation>Título de la etapa</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/scripts/editor.py" />
            <source>What the facilitator says</source>
            <translation>Lo que dice la persona facilitadora</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/scripts/editor.py" />
            <source>Question participants see, in English</source>
            <translation>Pregunta que ven las personas participantes, en inglés</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/scripts/editor.py" />
            <source>Question participants see, in Spanish</source>
            <translation>Pregunta que ven las personas participantes, en español</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/scripts/editor.py" />
            <source>Question addressed to</source>
            <translation>Pregunta dirigida a</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/scripts/editor.py" />
            <source>Suggested minutes</source>
            <translation>Minutos sugeridos</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/scripts/editor.py" />
            <source>No suggestion</source>
            <translation>Sin sugerencia</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/scripts/editor.py" />
            <source> min</source>
            <translation> min</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/scripts/editor.py" />
            <source>Tips, one per line</source>
            <translation>Consejos, uno por línea</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/scripts/editor.py" />
            <source>&amp;Title</source>
            <translation>&amp;Título</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/scripts/editor.py" />
            <source>&amp;Kind</source>
            <translation>Tipo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/scripts/editor.py" />
            <source>&amp;Purpose</source>
            <translation>&amp;Propósito</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/scripts/editor.py" />
            <source>T&amp;ype</source>
            <translation>T&amp;ipo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/scripts/editor.py" />
            <source>Stage t&amp;itle</source>
            <translation>Título de la etapa</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/scripts/editor.py" />
            <source>Facilitator's wo&amp;rds</source>
            <translation>Pala&amp;bras de quien facilita</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/scripts/editor.py" />
            <source>&amp;Question (English)</source>
            <translation>Pregunta (inglés)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/scripts/editor.py" />
            <source>Question (&amp;Spanish)</source>
            <translation>Pregunta (&amp;español)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/scripts/editor.py" />
            <source>Addressed t&amp;o</source>
            <translation>Dirigida &amp;a</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/scripts/editor.py" />
            <source>Mi&amp;nutes</source>
            <translation>Mi&amp;nutos</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/scripts/editor.py" />
            <source>Tips</source>
            <translation>Con&amp;sejos</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/scripts/editor.py" />
            <source>The selected stage</source>
            <translation>La etapa seleccionada</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/scripts/editor.py" />
            <source>(untitled)</source>
            <translation>(sin título)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/scripts/editor.py" />
            <source>{count} stages · {minutes}</source>
            <translation>{count} etapas · {minutes}</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/scripts/editor.py" />
            <source>New round</source>
            <translation>Nueva ronda</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/scripts/editor.py" />
            <source>Stage {n} “{title}”</source>
            <translation>Etapa {n} «{title}»</translation>
        </message>
        <message>
            <source>Ti&amp;ps</source>
            <translation type="vanished">Co&amp;nsejos</translation>
        </message>
    </context>
    <context>
        <name>ScriptsArea</name>
        <message>
            <location filename="../../src/circlekeeper/ui/scripts/area.py" />
            <source>Scripts</source>
            <translation>Guiones</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/scripts/area.py" />
            <source>Scripts list</source>
            <translation>Lista de guiones</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/scripts/area.py" />
            <source>Duplicat&amp;e…</source>
            <translation>&amp;Duplicar…</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/scripts/area.py" />
            <source>Duplicate the selected script into one of your own</source>
            <translation>Duplicar el guion seleccionado como uno propio</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/scripts/area.py" />
            <source>Import…</source>
            <translation>Imp&amp;ortar…</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/scripts/area.py" />
            <source>Import a script file</source>
            <translation>Importar un archivo de guion</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/scripts/area.py" />
            <source>E&amp;xport…</source>
            <translation>E&amp;xportar…</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/scripts/area.py" />
            <source>Export the selected script to a file</source>
            <translation>Exportar el guion seleccionado a un archivo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/scripts/area.py" />
            <source>De&amp;lete…</source>
            <translation>E&amp;liminar…</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/scripts/area.py" />
            <source>Delete the selected script of your own</source>
            <translation>Eliminar el guion propio seleccionado</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/scripts/area.py" />
            <source>Problems found</source>
            <translation>Problemas encontrados</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/scripts/area.py" />
            <source>S&amp;ave</source>
            <translation>&amp;Guardar</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/scripts/area.py" />
            <source>Save the script</source>
            <translation>Guardar el guion</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/scripts/area.py" />
            <source>Save the script (Ctrl+S)</source>
            <translation>Guardar el guion (Ctrl+S)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/scripts/area.py" />
            <source>Re&amp;vert</source>
            <translation>&amp;Revertir</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/scripts/area.py" />
            <source>Undo the changes since the last save</source>
            <translation>Deshacer los cambios desde la última vez que guardó</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/scripts/area.py" />
            <source>Built-in</source>
            <translation>Incluidos</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/scripts/area.py" />
            <source>Your scripts</source>
            <translation>Sus guiones</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/scripts/area.py" />
            <source>  (none yet: duplicate a built-in)</source>
            <translation>  (ninguno todavía: duplique uno incluido)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/scripts/area.py" />
            <source>Some script files in your folder were left out:</source>
            <translation>Se omitieron algunos archivos de guion de su carpeta:</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/scripts/area.py" />
            <source>Choose a script on the left.</source>
            <translation>Elija un guion a la izquierda.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/scripts/area.py" />
            <source>“{title}” is built in and cannot be changed. Duplicate it to make your own copy to edit.</source>
            <translation>«{title}» viene incluido y no se puede cambiar. Duplíquelo para tener su propia copia y editarla.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/scripts/area.py" />
            <source>Your script “{title}”, saved as {file}.</source>
            <translation>Su guion «{title}», guardado como {file}.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/scripts/area.py" />
            <source>Unsaved changes</source>
            <translation>Cambios sin guardar</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/scripts/area.py" />
            <source>Your changes to this script are not saved. Discard them?</source>
            <translation>Sus cambios en este guion no están guardados. ¿Descartarlos?</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/scripts/area.py" />
            <source>The script was not saved:</source>
            <translation>No se guardó el guion:</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/scripts/area.py" />
            <source>Delete this script?</source>
            <translation>¿Eliminar este guion?</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/scripts/area.py" />
            <source>Delete your script “{title}”? Circles already run with it keep their own copy.</source>
            <translation>¿Eliminar su guion «{title}»? Los círculos ya realizados con él conservan su propia copia.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/scripts/area.py" />
            <source>Import a script</source>
            <translation>Importar un guion</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/scripts/area.py" />
            <source>Scripts (*.toml)</source>
            <translation>Guiones (*.toml)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/scripts/area.py" />
            <source>{file}, line {line}: {message}</source>
            <translation>{file}, línea {line}: {message}</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/scripts/area.py" />
            <source>The file was not imported; nothing was added:</source>
            <translation>No se importó el archivo; no se añadió nada:</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/scripts/area.py" />
            <source>The file was not imported:</source>
            <translation>No se importó el archivo:</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/scripts/area.py" />
            <source>Export a script</source>
            <translation>Exportar un guion</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/scripts/area.py" />
            <source>Exported to {file}.</source>
            <translation>Exportado a {file}.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/scripts/area.py" />
            <source>That did not work</source>
            <translation>Eso no funcionó</translation>
        </message>
        <message>
            <source>D&amp;uplicate…</source>
            <translation type="vanished">D&amp;uplicar…</translation>
        </message>
        <message>
            <source>&amp;Import…</source>
            <translation type="vanished">&amp;Importar…</translation>
        </message>
        <message>
            <source>&amp;Save</source>
            <translation type="vanished">&amp;Guardar</translation>
        </message>
    </context>
    <context>
        <name>Search</name>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/common.py" />
            <source>Clear the text</source>
            <translation>Borrar el texto</translation>
        </message>
    </context>
    <context>
        <name>SearchPopup</name>
        <message>
            <location filename="../../src/circlekeeper/ui/search/popup.py" />
            <source>Search everywhere</source>
            <translation>Buscar en todo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/search/popup.py" />
            <source>People, cases, circles, agreements and notes — type a few letters</source>
            <translation>Personas, casos, círculos, acuerdos y notas: escriba unas letras</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/search/popup.py" />
            <source>Search results</source>
            <translation>Resultados de la búsqueda</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/search/popup.py" />
            <source>Search status</source>
            <translation>Estado de la búsqueda</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/search/popup.py" />
            <source>Enter opens the highlighted result; Esc closes.</source>
            <translation>Intro abre el resultado resaltado; Esc cierra.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/search/popup.py" />
            <source>Show all results for “{text}”…</source>
            <translation>Mostrar todos los resultados de «{text}»…</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/search/popup.py" />
            <source>1 result. Enter opens it.</source>
            <translation>1 resultado. Intro lo abre.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/search/popup.py" />
            <source>{n} results. Arrows move, Enter opens.</source>
            <translation>{n} resultados. Las flechas se mueven, Intro abre.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/search/popup.py" />
            <source>Nothing found for “{text}”.</source>
            <translation>No se encontró nada para «{text}».</translation>
        </message>
        <message>
            <source>Grade {grade}</source>
            <translation type="vanished">Grado {grade}</translation>
        </message>
        <message>
            <source>ID {id}</source>
            <translation type="vanished">ID {id}</translation>
        </message>
        <message>
            <source>People</source>
            <translation type="vanished">Personas</translation>
        </message>
        <message>
            <source>Cases</source>
            <translation type="vanished">Casos</translation>
        </message>
        <message>
            <source>Circles</source>
            <translation type="vanished">Círculos</translation>
        </message>
        <message>
            <source>Agreements</source>
            <translation type="vanished">Acuerdos</translation>
        </message>
        <message>
            <source>Agreement items</source>
            <translation type="vanished">Compromisos de acuerdos</translation>
        </message>
        <message>
            <source>Notes</source>
            <translation type="vanished">Notas</translation>
        </message>
    </context>
    <context>
        <name>SearchResultsDialog</name>
        <message>
            <location filename="../../src/circlekeeper/ui/search/results.py" />
            <source>All results for “{text}”</source>
            <translation>Todos los resultados de «{text}»</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/search/results.py" />
            <source>All search results</source>
            <translation>Todos los resultados de la búsqueda</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/search/results.py" />
            <source>How many were found</source>
            <translation>Cuántos se encontraron</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/search/results.py" />
            <source>&amp;Open</source>
            <translation>&amp;Abrir</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/search/results.py" />
            <source>Open the highlighted result</source>
            <translation>Abrir el resultado resaltado</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/search/results.py" />
            <source>Close</source>
            <translation>Cerrar</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/search/results.py" />
            <source>Close the list of results</source>
            <translation>Cerrar la lista de resultados</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/search/results.py" />
            <source>The first {n} results; type more letters to narrow them.</source>
            <translation>Los primeros {n} resultados; escriba más letras para acotarlos.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/search/results.py" />
            <source>1 result</source>
            <translation>1 resultado</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/search/results.py" />
            <source>{count} results</source>
            <translation>{count} resultados</translation>
        </message>
        <message>
            <source>Grade {grade}</source>
            <translation type="vanished">Grado {grade}</translation>
        </message>
        <message>
            <source>ID {id}</source>
            <translation type="vanished">ID {id}</translation>
        </message>
        <message>
            <source>People</source>
            <translation type="vanished">Personas</translation>
        </message>
        <message>
            <source>Cases</source>
            <translation type="vanished">Casos</translation>
        </message>
        <message>
            <source>Circles</source>
            <translation type="vanished">Círculos</translation>
        </message>
        <message>
            <source>Agreements</source>
            <translation type="vanished">Acuerdos</translation>
        </message>
        <message>
            <source>Agreement items</source>
            <translation type="vanished">Compromisos de acuerdos</translation>
        </message>
        <message>
            <source>Notes</source>
            <translation type="vanished">Notas</translation>
        </message>
    </context>
    <context>
        <name>SeatingRing</name>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/seating.py" />
            <source>Seating plan</source>
            <translation>Disposición de los asientos</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/seating.py" />
            <source>Drag a seat to move someone. With the keyboard: arrows choose a seat, Alt+Left and Alt+Right move it.</source>
            <translation>Arrastre un asiento para mover a alguien. Con el teclado: las flechas eligen un asiento; Alt+Izquierda y Alt+Derecha lo mueven.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/seating.py" />
            <source>Nobody is seated yet.</source>
            <translation>Todavía no hay nadie sentado.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/seating.py" />
            <source>Seat {n}: {name}, {role}</source>
            <translation>Asiento {n}: {name}, {role}</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/seating.py" />
            <source>Outer ring: {name}, {role}</source>
            <translation>Anillo exterior: {name}, {role}</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/seating.py" />
            <source>Selected: {name}. </source>
            <translation>Seleccionado: {name}. </translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/seating.py" />
            <source>Outer ring (observers)</source>
            <translation>Anillo exterior (observadores)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/seating.py" />
            <source>Invite people and they appear here,
in their seats round the ring.</source>
            <translation>Invite a las personas y aparecerán aquí,
en sus asientos alrededor del círculo.</translation>
        </message>
    </context>
    <context>
        <name>SectionModel</name>
        <message>
            <location filename="../../src/circlekeeper/ui/reports/section_view.py" />
            <source>hidden to protect students' privacy</source>
            <translation>oculto para proteger la privacidad de las personas estudiantes</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/reports/section_view.py" />
            <source>no figure</source>
            <translation>sin cifra</translation>
        </message>
    </context>
    <context>
        <name>SettingsView</name>
        <message>
            <location filename="../../src/circlekeeper/ui/settings_view.py" />
            <source>This laptop's school name</source>
            <translation>Nombre de la escuela de esta computadora</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/settings_view.py" />
            <source>School address</source>
            <translation>Dirección de la escuela</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/settings_view.py" />
            <source>Logo file</source>
            <translation>Archivo del logotipo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/settings_view.py" />
            <source>A PNG or JPEG picture (optional)</source>
            <translation>Una imagen PNG o JPEG (opcional)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/settings_view.py" />
            <source>Browse…</source>
            <translation>&amp;Examinar…</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/settings_view.py" />
            <source>Choose a logo file</source>
            <translation>Elegir un archivo de logotipo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/settings_view.py" />
            <source>&amp;No logo</source>
            <translation>&amp;Sin logotipo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/settings_view.py" />
            <source>Remove the logo</source>
            <translation>Quitar el logotipo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/settings_view.py" />
            <source>Logo preview</source>
            <translation>Vista previa del logotipo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/settings_view.py" />
            <source>Logo status</source>
            <translation>Estado del logotipo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/settings_view.py" />
            <source>Facilitator name</source>
            <translation>Nombre de la persona facilitadora</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/settings_view.py" />
            <source>Facilitator role</source>
            <translation>Función de la persona facilitadora</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/settings_view.py" />
            <source>e.g. School counselor</source>
            <translation>p. ej. Consejero/a escolar</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/settings_view.py" />
            <source>Add the students' &amp;first names to calendar events</source>
            <translation>Añadir los &amp;nombres de pila de las personas estudiantes a los eventos del calendario</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/settings_view.py" />
            <source>Add the students' first names to calendar events</source>
            <translation>Añadir los nombres de pila de las personas estudiantes a los eventos del calendario</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/settings_view.py" />
            <source>Calendars sync to phones and cloud services. Without this, an event shows only the kind of circle, the place and the time. Family names, titles and incidents are never included.</source>
            <translation>Los calendarios se sincronizan con teléfonos y servicios en la nube. Sin esto, un evento muestra solo el tipo de círculo, el lugar y la hora. Nunca se incluyen apellidos, títulos ni incidentes.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/settings_view.py" />
            <source>&amp;Save settings</source>
            <translation>&amp;Guardar la configuración</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/settings_view.py" />
            <source>Save settings</source>
            <translation>Guardar la configuración</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/settings_view.py" />
            <source>Save settings (Ctrl+S)</source>
            <translation>Guardar la configuración (Ctrl+S)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/settings_view.py" />
            <source>Save status</source>
            <translation>Estado del guardado</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/settings_view.py" />
            <source>School</source>
            <translation>Escuela</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/settings_view.py" />
            <source>This laptop's school nam&amp;e</source>
            <translation>Nombre de la escuela de esta computadora</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/settings_view.py" />
            <source>New people, referrals and circles belong to this laptop's school unless another school is written for them.</source>
            <translation>Las personas, remisiones y círculos nuevos pertenecen a la escuela de esta computadora, salvo que se indique otra escuela.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/settings_view.py" />
            <source>&amp;Address</source>
            <translation>Dirección</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/settings_view.py" />
            <source>Lo&amp;go</source>
            <translation>&amp;Logotipo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/settings_view.py" />
            <source>Facilitator</source>
            <translation>Facilitador/a</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/settings_view.py" />
            <source>&amp;Your name</source>
            <translation>Su nombre</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/settings_view.py" />
            <source>Yo&amp;ur role</source>
            <translation>Su &amp;función</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/settings_view.py" />
            <source>Calendar export</source>
            <translation>Exportación del calendario</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/settings_view.py" />
            <source>Calendar events show the kind of circle, the place and the time. Tick this to add the first names of the students at the centre (never family names).</source>
            <translation>Los eventos del calendario muestran el tipo de círculo, el lugar y la hora. Marque esto para añadir los nombres de pila de las personas estudiantes en el centro del caso (nunca apellidos).</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/settings_view.py" />
            <source>Settings</source>
            <translation>Configuración</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/settings_view.py" />
            <source>The school's name, address and logo head printed agreements and reports. Your name and role are filled in as the facilitator of new circles.</source>
            <translation>El nombre, la dirección y el logotipo de la escuela encabezan los acuerdos y los informes impresos. Su nombre y su función se usan como persona facilitadora de los círculos nuevos.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/settings_view.py" />
            <source>The settings could not be read just now.</source>
            <translation>No se pudo leer la configuración en este momento.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/settings_view.py" />
            <source>Not saved: the database did not answer. What you typed is still here.</source>
            <translation>No se guardó: la base de datos no respondió. Lo que escribió sigue aquí.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/settings_view.py" />
            <source>Saved.</source>
            <translation>Guardado.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/settings_view.py" />
            <source>Choose the school logo</source>
            <translation>Elegir el logotipo de la escuela</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/settings_view.py" />
            <source>Pictures (*.png *.jpg *.jpeg *.gif *.bmp *.svg)</source>
            <translation>Imágenes (*.png *.jpg *.jpeg *.gif *.bmp *.svg)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/settings_view.py" />
            <source>No logo: printouts show the school name only.</source>
            <translation>Sin logotipo: lo impreso muestra solo el nombre de la escuela.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/settings_view.py" />
            <source>This file is not there (it may have been moved or be on a USB stick). You can still save; printouts will leave the logo out until it is found.</source>
            <translation>Este archivo no está ahí (puede que se haya movido o esté en una memoria USB). Puede guardar igualmente; lo impreso no tendrá el logotipo hasta que aparezca.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/settings_view.py" />
            <source>This file is not a picture circlekeeper can show. Choose a PNG or JPEG.</source>
            <translation>Este archivo no es una imagen que circlekeeper pueda mostrar. Elija un PNG o un JPEG.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/settings_view.py" />
            <source>Logo found.</source>
            <translation>Logotipo encontrado.</translation>
        </message>
        <message>
            <source>School name</source>
            <translation type="vanished">Nombre de la escuela</translation>
        </message>
        <message>
            <source>School nam&amp;e</source>
            <translation type="vanished">Nombre de la escuela</translation>
        </message>
        <message>
            <source>&amp;Browse…</source>
            <translation type="vanished">&amp;Examinar…</translation>
        </message>
        <message>
            <source>School &amp;name</source>
            <translation type="vanished">&amp;Nombre de la escuela</translation>
        </message>
        <message>
            <source>&amp;Logo</source>
            <translation type="vanished">&amp;Logotipo</translation>
        </message>
        <message>
            <source>Your &amp;role</source>
            <translation type="vanished">Su &amp;función</translation>
        </message>
    </context>
    <context>
        <name>SignaturePanel</name>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/signatures.py" />
            <source>Guardian signatures missing</source>
            <translation>Faltan firmas de tutores</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/signatures.py" />
            <source>Signature problem</source>
            <translation>Problema con la firma</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/signatures.py" />
            <source>Guardian of {name}</source>
            <translation>Tutor/a de {name}</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/signatures.py" />
            <source>(no guardian on file)</source>
            <translation>(sin tutor/a registrado)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/signatures.py" />
            <source>Link a guardian in People to record it.</source>
            <translation>Vincule a un/a tutor/a en Personas para registrarlo.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/signatures.py" />
            <source>Signed on</source>
            <translation>Firmado el</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/signatures.py" />
            <source>{name} signed on paper</source>
            <translation>{name} firmó en papel</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/signatures.py" />
            <source>Date {name} signed</source>
            <translation>Fecha en que firmó {name}</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/signatures.py" />
            <source>{student} is a minor and no guardian has signed yet (on file: {names}).</source>
            <translation>{student} es menor de edad y su tutor/a todavía no ha firmado (registrados: {names}).</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/agreements/signatures.py" />
            <source>{student} is a minor and has no guardian on file to sign; add one in People.</source>
            <translation>{student} es menor de edad y no tiene tutor/a registrado que firme; añada uno en Personas.</translation>
        </message>
    </context>
    <context>
        <name>SroArea</name>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/area.py" />
            <source>SRO activity and training</source>
            <translation>Actividad y capacitación del SRO</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/area.py" />
            <source>Activity log</source>
            <translation>Registro de actividades</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/area.py" />
            <source>Training</source>
            <translation>Capacitación</translation>
        </message>
    </context>
    <context>
        <name>SroLabels</name>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/labels.py" />
            <source>Law enforcement</source>
            <translation>Aplicación de la ley</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/labels.py" />
            <source>Informal counseling and mentoring</source>
            <translation>Consejería informal y mentoría</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/labels.py" />
            <source>Education and outreach</source>
            <translation>Educación y difusión</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/labels.py" />
            <source>Class taught</source>
            <translation>Clase impartida</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/labels.py" />
            <source>Mentoring session</source>
            <translation>Sesión de mentoría</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/labels.py" />
            <source>Family contact</source>
            <translation>Contacto con la familia</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/labels.py" />
            <source>School event</source>
            <translation>Evento escolar</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/labels.py" />
            <source>Community forum</source>
            <translation>Foro comunitario</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/labels.py" />
            <source>Parent night</source>
            <translation>Noche para familias</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/labels.py" />
            <source>Student panel</source>
            <translation>Panel estudiantil</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/labels.py" />
            <source>Safety drill</source>
            <translation>Simulacro de seguridad</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/labels.py" />
            <source>Incident response</source>
            <translation>Respuesta a un incidente</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/labels.py" />
            <source>Citation</source>
            <translation>Citación</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/labels.py" />
            <source>Arrest</source>
            <translation>Arresto</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/labels.py" />
            <source>Youth mental health first aid</source>
            <translation>Primeros auxilios en salud mental juvenil</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/labels.py" />
            <source>De-escalation</source>
            <translation>Desescalada</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/labels.py" />
            <source>Trauma-informed care</source>
            <translation>Atención informada sobre el trauma</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/labels.py" />
            <source>Restorative practice</source>
            <translation>Práctica restaurativa</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/labels.py" />
            <source>Cultural competency</source>
            <translation>Competencia cultural</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/labels.py" />
            <source>Other</source>
            <translation>Otro</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/labels.py" />
            <source>{hours} h</source>
            <translation>{hours} h</translation>
        </message>
    </context>
    <context>
        <name>StagePanel</name>
        <message>
            <location filename="../../src/circlekeeper/ui/live/stage_panel.py" />
            <source>Stage text</source>
            <translation>Texto de la etapa</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/stage_panel.py" />
            <source>Say, in your own words</source>
            <translation>Diga, con sus propias palabras</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/stage_panel.py" />
            <source>Facilitator's words</source>
            <translation>Palabras de la persona facilitadora</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/stage_panel.py" />
            <source>Question for the circle (on the projector)</source>
            <translation>Pregunta para el círculo (en el proyector)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/stage_panel.py" />
            <source>Question for the circle</source>
            <translation>Pregunta para el círculo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/stage_panel.py" />
            <source>Read aloud: the school's agreement with the police</source>
            <translation>Leer en voz alta: el acuerdo de la escuela con la policía</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/stage_panel.py" />
            <source>Statement to read aloud</source>
            <translation>Declaración para leer en voz alta</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/stage_panel.py" />
            <source>Tips</source>
            <translation>Consejos</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/stage_panel.py" />
            <source>Notes on this stage</source>
            <translation>Notas sobre esta etapa</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/stage_panel.py" />
            <source>Tips ({n})</source>
            <translation>Consejos ({n})</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/stage_panel.py" />
            <source>Show or hide tips for this stage</source>
            <translation>Mostrar u ocultar los consejos de esta etapa</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/stage_panel.py" />
            <source>private</source>
            <translation>privada</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/stage_panel.py" />
            <source>record</source>
            <translation>registro</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/stage_panel.py" />
            <source>Notes on this stage ({n} of {total})</source>
            <translation>Notas sobre esta etapa ({n} de {total})</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/stage_panel.py" />
            <source>Show or hide the notes taken on this stage</source>
            <translation>Mostrar u ocultar las notas tomadas en esta etapa</translation>
        </message>
    </context>
    <context>
        <name>StageType</name>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/labels.py" />
            <source>Opening</source>
            <translation>Apertura</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/labels.py" />
            <source>Guidelines</source>
            <translation>Pautas</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/labels.py" />
            <source>Talking piece introduced</source>
            <translation>Presentación de la pieza para hablar</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/labels.py" />
            <source>Check-in round</source>
            <translation>Ronda de entrada</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/labels.py" />
            <source>Round</source>
            <translation>Ronda</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/labels.py" />
            <source>Check-out round</source>
            <translation>Ronda de salida</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/labels.py" />
            <source>Closing</source>
            <translation>Cierre</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/labels.py" />
            <source>Preamble (conference)</source>
            <translation>Preámbulo (conferencia)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/labels.py" />
            <source>Questions to a role (conference)</source>
            <translation>Preguntas a un papel (conferencia)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/labels.py" />
            <source>Agreement (conference)</source>
            <translation>Acuerdo (conferencia)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/labels.py" />
            <source>Informal time (conference)</source>
            <translation>Tiempo informal (conferencia)</translation>
        </message>
    </context>
    <context>
        <name>StartCircle</name>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/start.py" />
            <source>Consent to this circle was withdrawn:

{lines}

Nothing was started and nothing was changed. When consent is given again, tick it again in the Preparation tab.</source>
            <translation>Se retiró el consentimiento para este círculo:

{lines}

No se inició nada y no se cambió nada. Cuando se vuelva a dar el consentimiento, márquelo de nuevo en la pestaña Preparación.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/start.py" />
            <source>The eligibility screen stops this circle:

{lines}

Nothing was started and nothing was changed. Change the screen on the case page if it was answered by mistake.</source>
            <translation>La evaluación de elegibilidad detiene este círculo:

{lines}

No se inició ni se cambió nada. Si se respondió por error, cambie la evaluación en la página del caso.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/start.py" />
            <source>This circle cannot be held</source>
            <translation>Este círculo no se puede realizar</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/start.py" />
            <source>Start this circle?</source>
            <translation>¿Iniciar este círculo?</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/start.py" />
            <source>Some things are not done yet:

{lines}

You know the situation best; you can start anyway.</source>
            <translation>Algunas cosas aún no están hechas:

{lines}

Usted conoce mejor la situación; puede empezar de todos modos.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/start.py" />
            <source>Start anyway</source>
            <translation>Empezar de todos modos</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/start.py" />
            <source>Not yet</source>
            <translation>Todavía no</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/start.py" />
            <source>Facilitator view not available</source>
            <translation>La vista de facilitación no está disponible</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/start.py" />
            <source>This copy of circlekeeper has no facilitator view yet.</source>
            <translation>Esta copia de circlekeeper todavía no tiene vista de facilitación.</translation>
        </message>
        <message>
            <source>This conference cannot be held</source>
            <translation type="vanished">Esta conferencia no se puede realizar</translation>
        </message>
        <message>
            <source>The eligibility screen stops this conference:

{lines}

Nothing was started and nothing was changed. Change the screen on the case page if it was answered by mistake.</source>
            <translation type="vanished">La evaluación de elegibilidad detiene esta conferencia:

{lines}

No se inició ni se cambió nada. Si se respondió por error, cambie la evaluación en la página del caso.</translation>
        </message>
    </context>
    <context>
        <name>StudentHistoryDialog</name>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/history.py" />
            <source>History of {name}</source>
            <translation>Historial de {name}</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/history.py" />
            <source>History entries</source>
            <translation>Entradas del historial</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/history.py" />
            <source>Date</source>
            <translation>Fecha</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/history.py" />
            <source>What</source>
            <translation>Qué</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/history.py" />
            <source>Details</source>
            <translation>Detalles</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/history.py" />
            <source>Role</source>
            <translation>Papel</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/history.py" />
            <source>Status</source>
            <translation>Estado</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/history.py" />
            <source>{n} entries, oldest first.</source>
            <translation>{n} entradas, de la más antigua a la más reciente.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/history.py" />
            <source>Nothing recorded for this person yet.</source>
            <translation>Todavía no hay nada registrado sobre esta persona.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/history.py" />
            <source>Close</source>
            <translation>Cerrar</translation>
        </message>
    </context>
    <context>
        <name>StudentPage</name>
        <message>
            <location filename="../../src/circlekeeper/ui/people/story.py" />
            <source>Student page</source>
            <translation>Página de la persona estudiante</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/story.py" />
            <source>← &amp;All people</source>
            <translation>← &amp;Todas las personas</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/story.py" />
            <source>Back to the list of people</source>
            <translation>Volver a la lista de personas</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/story.py" />
            <source>&amp;Edit…</source>
            <translation>&amp;Editar…</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/story.py" />
            <source>Edit this person's details</source>
            <translation>Editar los datos de esta persona</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/story.py" />
            <source>About this person</source>
            <translation>Sobre esta persona</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/story.py" />
            <source>Equity fields</source>
            <translation>Datos de equidad</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/story.py" />
            <source>Last change</source>
            <translation>Último cambio</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/story.py" />
            <source>Cases</source>
            <translation>Casos</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/story.py" />
            <source>Referred</source>
            <translation>Remitido</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/story.py" />
            <source>Incident</source>
            <translation>Incidente</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/story.py" />
            <source>Role</source>
            <translation>Papel</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/story.py" />
            <source>Step</source>
            <translation>Paso</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/story.py" />
            <source>Circles</source>
            <translation>Círculos</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/story.py" />
            <source>When</source>
            <translation>Cuándo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/story.py" />
            <source>Circle</source>
            <translation>Círculo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/story.py" />
            <source>Kind</source>
            <translation>Tipo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/story.py" />
            <source>Status</source>
            <translation>Estado</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/story.py" />
            <source>Agreements</source>
            <translation>Acuerdos</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/story.py" />
            <source>Agreed</source>
            <translation>Acordado</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/story.py" />
            <source>Harm to repair</source>
            <translation>Daño que reparar</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/story.py" />
            <source>Progress</source>
            <translation>Avance</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/story.py" />
            <source>Follow-ups</source>
            <translation>Seguimientos</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/story.py" />
            <source>Due</source>
            <translation>Fecha límite</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/story.py" />
            <source>Purpose</source>
            <translation>Propósito</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/story.py" />
            <source>Who</source>
            <translation>Quién</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/story.py" />
            <source>Family contacts</source>
            <translation>Contactos con la familia</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/story.py" />
            <source>With</source>
            <translation>Con</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/story.py" />
            <source>How</source>
            <translation>Cómo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/story.py" />
            <source>Outcome</source>
            <translation>Resultado</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/story.py" />
            <source>By</source>
            <translation>Por</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/story.py" />
            <source>Guardians</source>
            <translation>Tutores</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/story.py" />
            <source>Name</source>
            <translation>Nombre</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/story.py" />
            <source>Relationship</source>
            <translation>Parentesco</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/story.py" />
            <source>May consent</source>
            <translation>Puede dar consentimiento</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/story.py" />
            <source>Phone</source>
            <translation>Teléfono</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/story.py" />
            <source>Email</source>
            <translation>Correo electrónico</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/story.py" />
            <source>Students in their care</source>
            <translation>Estudiantes a su cargo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/story.py" />
            <source>Notes about them</source>
            <translation>Notas sobre esta persona</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/story.py" />
            <source>Written</source>
            <translation>Escrita</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/story.py" />
            <source>Kept as</source>
            <translation>Guardada como</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/story.py" />
            <source>Note</source>
            <translation>Nota</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/story.py" />
            <source>Press Enter on a line to open it.</source>
            <translation>Pulse Intro en una línea para abrirla.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/story.py" />
            <source>This person cannot be shown</source>
            <translation>No se puede mostrar a esta persona</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/story.py" />
            <source>Student page: {name}</source>
            <translation>Página de la persona estudiante: {name}</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/story.py" />
            <source>Grade {grade}</source>
            <translation>Grado {grade}</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/story.py" />
            <source>ID {id}</source>
            <translation>Identificación {id}</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/story.py" />
            <source>archived</source>
            <translation>archivada</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/story.py" />
            <source>No cases.</source>
            <translation>Sin casos.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/story.py" />
            <source>No circles.</source>
            <translation>Sin círculos.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/story.py" />
            <source>Not signed yet</source>
            <translation>Aún sin firmar</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/story.py" />
            <source>No agreements.</source>
            <translation>Sin acuerdos.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/story.py" />
            <source>Follow-up</source>
            <translation>Seguimiento</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/story.py" />
            <source>No follow-ups.</source>
            <translation>Sin seguimientos.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/story.py" />
            <source>No family contacts.</source>
            <translation>Sin contactos con la familia.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/story.py" />
            <source>Yes</source>
            <translation>Sí</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/story.py" />
            <source>No</source>
            <translation>No</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/story.py" />
            <source>No guardians linked.</source>
            <translation>Sin tutores vinculados.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/story.py" />
            <source>Private</source>
            <translation>Privada</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/story.py" />
            <source>Record</source>
            <translation>De registro</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/story.py" />
            <source>No notes about them.</source>
            <translation>Sin notas sobre esta persona.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/story.py" />
            <source>Not decided</source>
            <translation>Sin decidir</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/story.py" />
            <source>Held {when}</source>
            <translation>Realizado el {when}</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/story.py" />
            <source>No items yet</source>
            <translation>Aún sin compromisos</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/story.py" />
            <source>{done} of {total} done</source>
            <translation>{done} de {total} cumplidos</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/story.py" />
            <source>{n} days overdue</source>
            <translation>{n} días de retraso</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/story.py" />
            <source>Gender</source>
            <translation>Género</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/story.py" />
            <source>Race/ethnicity</source>
            <translation>Raza/etnia</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/story.py" />
            <source>Disability (IEP/504)</source>
            <translation>Discapacidad (IEP/504)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/story.py" />
            <source>English learner</source>
            <translation>Aprendiz de inglés</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/story.py" />
            <source>Low income</source>
            <translation>Bajos ingresos</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/story.py" />
            <source>yes</source>
            <translation>sí</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/story.py" />
            <source>no</source>
            <translation>no</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/story.py" />
            <source>Equity fields (never shown to an SRO): {fields}</source>
            <translation>Datos de equidad (nunca se muestran al SRO): {fields}</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/story.py" />
            <source>none recorded</source>
            <translation>ninguno registrado</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/story.py" />
            <source>Saved the changes to {name}.</source>
            <translation>Se guardaron los cambios de {name}.</translation>
        </message>
    </context>
    <context>
        <name>SummaryView</name>
        <message>
            <location filename="../../src/circlekeeper/ui/live/summary.py" />
            <source>The case moved on to “{step}”: its circle was held.</source>
            <translation>El caso pasó a «{step}»: su círculo se realizó.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/summary.py" />
            <source>This circle's case is still at “{step}”. Holding the circle does not skip the screen or the preparation, so the case was not moved. Open it in Cases and move it along when it is ready.</source>
            <translation>El caso de este círculo sigue en «{step}». Realizar el círculo no se salta la evaluación ni la preparación, así que el caso no se movió. Ábralo en Casos y hágalo avanzar cuando esté listo.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/summary.py" />
            <source>Summary — {title}</source>
            <translation>Resumen — {title}</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/summary.py" />
            <source>Circle summary</source>
            <translation>Resumen del círculo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/summary.py" />
            <source>The case of this circle</source>
            <translation>El caso de este círculo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/summary.py" />
            <source>Close</source>
            <translation>Cerrar</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/summary.py" />
            <source>Write the repair &amp;agreement…</source>
            <translation>Redactar el &amp;acuerdo de reparación…</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/summary.py" />
            <source>Write the repair agreement</source>
            <translation>Redactar el acuerdo de reparación</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/summary.py" />
            <source>Save su&amp;mmary PDF…</source>
            <translation>Guardar resu&amp;men en PDF…</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/summary.py" />
            <source>Save the circle summary as PDF</source>
            <translation>Guardar el resumen del círculo en PDF</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/summary.py" />
            <source>Lasted {time}. {turns} turns taken; {notes} notes.</source>
            <translation>Duró {time}. {turns} turnos; {notes} notas.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/summary.py" />
            <source>Who spoke and who passed</source>
            <translation>Quién habló y quién pasó</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/summary.py" />
            <source>Name</source>
            <translation>Nombre</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/summary.py" />
            <source>Role</source>
            <translation>Papel</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/summary.py" />
            <source>Attendance</source>
            <translation>Asistencia</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/summary.py" />
            <source>Spoke</source>
            <translation>Habló</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/summary.py" />
            <source>Passed</source>
            <translation>Pasó</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/summary.py" />
            <source>Time per stage</source>
            <translation>Tiempo por etapa</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/summary.py" />
            <source>skipped</source>
            <translation>omitida</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/summary.py" />
            <source>Notes</source>
            <translation>Notas</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/summary.py" />
            <source>No notes were taken.</source>
            <translation>No se tomaron notas.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/summary.py" />
            <source>Private memory aid</source>
            <translation>Ayuda de memoria privada</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/summary.py" />
            <source>Shared record</source>
            <translation>Registro compartido</translation>
        </message>
    </context>
    <context>
        <name>SurveyWindow</name>
        <message>
            <location filename="../../src/circlekeeper/ui/evaluation/survey_window.py" />
            <source>Enter printed surveys</source>
            <translation>Ingresar encuestas impresas</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/evaluation/survey_window.py" />
            <source>Survey · Encuesta</source>
            <translation>Survey · Encuesta</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/evaluation/survey_window.py" />
            <source>Message</source>
            <translation>Mensaje</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/evaluation/survey_window.py" />
            <source>Hand in my answers · Entregar mis respuestas</source>
            <translation>Hand in my answers · Entregar mis respuestas</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/evaluation/survey_window.py" />
            <source>Hand in my answers</source>
            <translation>Entregar mis respuestas</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/evaluation/survey_window.py" />
            <source>Thank you</source>
            <translation>Gracias</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/evaluation/survey_window.py" />
            <source>Next person · Siguiente persona</source>
            <translation>Next person · Siguiente persona</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/evaluation/survey_window.py" />
            <source>A blank form for the next person</source>
            <translation>Un formulario en blanco para la siguiente persona</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/evaluation/survey_window.py" />
            <source>How many have answered</source>
            <translation>Cuántas personas han respondido</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/evaluation/survey_window.py" />
            <source>&amp;Finish the round (keeper)</source>
            <translation>&amp;Terminar la ronda (facilitador/a)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/evaluation/survey_window.py" />
            <source>Finish the round of surveys</source>
            <translation>Terminar la ronda de encuestas</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/evaluation/survey_window.py" />
            <source>Thank you! Everyone present has answered.
¡Gracias! Todas las personas presentes han respondido.

The laptop now goes back to the keeper.
La computadora vuelve ahora a la persona que guía el círculo.</source>
            <translation>Thank you! Everyone present has answered.
¡Gracias! Todas las personas presentes han respondido.

The laptop now goes back to the keeper.
La computadora vuelve ahora a la persona que guía el círculo.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/evaluation/survey_window.py" />
            <source>Thank you! The laptop now goes to the next person.
¡Gracias! Ahora la computadora pasa a la siguiente persona.</source>
            <translation>Thank you! The laptop now goes to the next person.
¡Gracias! Ahora la computadora pasa a la siguiente persona.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/evaluation/survey_window.py" />
            <source>{answered} of {expected} have answered</source>
            <translation>Han respondido {answered} de {expected}</translation>
        </message>
    </context>
    <context>
        <name>TodayArea</name>
        <message>
            <location filename="../../src/circlekeeper/ui/today/area.py" />
            <source>Today</source>
            <translation>Hoy</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/today/area.py" />
            <source>Date</source>
            <translation>Fecha</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/today/area.py" />
            <source>Interrupted circle</source>
            <translation>Círculo interrumpido</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/today/area.py" />
            <source>&amp;Resume</source>
            <translation>&amp;Reanudar</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/today/area.py" />
            <source>Resume the interrupted circle</source>
            <translation>Reanudar el círculo interrumpido</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/today/area.py" />
            <source>A circle was interrupted</source>
            <translation>Se interrumpió un círculo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/today/area.py" />
            <source>Circles today</source>
            <translation>Círculos de hoy</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/today/area.py" />
            <source>Follow-ups due and overdue</source>
            <translation>Seguimientos pendientes y vencidos</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/today/area.py" />
            <source>Agreements at risk</source>
            <translation>Acuerdos en riesgo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/today/area.py" />
            <source>What came of the follow-up</source>
            <translation>Resultado del seguimiento</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/today/area.py" />
            <source>What came of it (needed when missed)</source>
            <translation>Resultado (obligatorio si no se hizo)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/today/area.py" />
            <source>&amp;Done</source>
            <translation>&amp;Hecho</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/today/area.py" />
            <source>Mark the selected follow-up done</source>
            <translation>Marcar como hecho el seguimiento seleccionado</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/today/area.py" />
            <source>&amp;Missed</source>
            <translation>&amp;No se hizo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/today/area.py" />
            <source>Mark the selected follow-up missed</source>
            <translation>Marcar como no hecho el seguimiento seleccionado</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/today/area.py" />
            <source>Last change</source>
            <translation>Último cambio</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/today/area.py" />
            <source>Long-overdue follow-ups</source>
            <translation>Seguimientos muy atrasados</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/today/area.py" />
            <source>Re&amp;view…</source>
            <translation>Re&amp;visar…</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/today/area.py" />
            <source>Review the long-overdue follow-ups and close the chosen ones as lapsed</source>
            <translation>Revisar los seguimientos muy atrasados y cerrar como caducados los elegidos</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/today/area.py" />
            <source>Follow-ups due</source>
            <translation>Seguimientos pendientes</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/today/area.py" />
            <source>{day} at {time}</source>
            <translation>{day} a las {time}</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/today/area.py" />
            <source>No circle is planned from today on</source>
            <translation>No hay ningún círculo planificado de hoy en adelante</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/today/area.py" />
            <source>No circle to start</source>
            <translation>No hay ningún círculo para iniciar</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/today/area.py" />
            <source>▶  Start the next circle: {circle}</source>
            <translation>▶  Iniciar el siguiente círculo: {circle}</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/today/area.py" />
            <source>Start the next circle: {circle}</source>
            <translation>Iniciar el siguiente círculo: {circle}</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/today/area.py" />
            <source>“{title}” was left running. Resume it where it stopped; every note is kept.</source>
            <translation>«{title}» quedó en curso. Reanúdelo donde se detuvo; se conservan todas las notas.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/today/area.py" />
            <source>(done)</source>
            <translation>(hecho)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/today/area.py" />
            <source>(running now)</source>
            <translation>(en curso)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/today/area.py" />
            <source>No circles scheduled today.</source>
            <translation>No hay círculos programados para hoy.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/today/area.py" />
            <source>Due today — {what}</source>
            <translation>Vence hoy — {what}</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/today/area.py" />
            <source>…and 1 more overdue; its case's page lists it.</source>
            <translation>…y 1 vencido más; la página de su caso lo muestra.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/today/area.py" />
            <source>…and {count} more overdue; each case's page lists its own.</source>
            <translation>…y {count} vencidos más; la página de cada caso muestra los suyos.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/today/area.py" />
            <source>Nothing due today. Well done.</source>
            <translation>No vence nada hoy. ¡Buen trabajo!</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/today/area.py" />
            <source>Follow-ups due (1 overdue)</source>
            <translation>Seguimientos pendientes (1 con retraso)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/today/area.py" />
            <source>Follow-ups due ({count} overdue)</source>
            <translation>Seguimientos pendientes ({count} con retraso)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/today/area.py" />
            <source>⚠ 1 follow-up overdue for more than {days} days: review it</source>
            <translation>⚠ 1 seguimiento con más de {days} días de retraso: revíselo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/today/area.py" />
            <source>⚠ {count} follow-ups overdue for more than {days} days: review them</source>
            <translation>⚠ {count} seguimientos con más de {days} días de retraso: revíselos</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/today/area.py" />
            <source>Follow-up</source>
            <translation>Seguimiento</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/today/area.py" />
            <source>nobody named</source>
            <translation>sin persona asignada</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/today/area.py" />
            <source>{what} ({who})</source>
            <translation>{what} ({who})</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/today/area.py" />
            <source>Repair agreement {n}</source>
            <translation>Acuerdo de reparación {n}</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/today/area.py" />
            <source>…and more: more than {count} agreements are slipping; the Agreements area lists them all.</source>
            <translation>…y más: más de {count} acuerdos se están atrasando; el área de Acuerdos los muestra todos.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/today/area.py" />
            <source>…and 1 more; the Agreements area lists them all.</source>
            <translation>…y 1 más; el área de Acuerdos los muestra todos.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/today/area.py" />
            <source>…and {count} more; the Agreements area lists them all.</source>
            <translation>…y {count} más; el área de Acuerdos los muestra todos.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/today/area.py" />
            <source>No agreement is slipping.</source>
            <translation>Ningún acuerdo se está atrasando.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/today/area.py" />
            <source>done</source>
            <translation>hecho</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/today/area.py" />
            <source>missed</source>
            <translation>no se hizo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/today/area.py" />
            <source>Recorded “{what}” as {status}.</source>
            <translation>Se registró «{what}» como {status}.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/today/area.py" />
            <source>Closed 1 follow-up as lapsed.</source>
            <translation>Se cerró 1 seguimiento como caducado.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/today/area.py" />
            <source>Closed {count} follow-ups as lapsed.</source>
            <translation>Se cerraron {count} seguimientos como caducados.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/today/area.py" />
            <source>1 had changed meanwhile and was left as it is.</source>
            <translation>1 había cambiado mientras tanto y se dejó como estaba.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/today/area.py" />
            <source>{count} had changed meanwhile and were left as they are.</source>
            <translation>{count} habían cambiado mientras tanto y se dejaron como estaban.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/today/area.py" />
            <source>To bring one back, reopen it from its case's page.</source>
            <translation>Para recuperar uno, reábralo desde la página de su caso.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/today/area.py" />
            <source>This copy of circlekeeper cannot run circles yet.</source>
            <translation>Esta copia de circlekeeper todavía no puede realizar círculos.</translation>
        </message>
        <message>
            <source>…and {n} more overdue; each case's page lists its own.</source>
            <translation type="vanished">…y {n} vencidos más; la página de cada caso muestra los suyos.</translation>
        </message>
        <message>
            <source>Follow-ups due ({n} overdue)</source>
            <translation type="vanished">Seguimientos pendientes ({n} con retraso)</translation>
        </message>
        <message>
            <source>…and {n} more; the Agreements area lists them all.</source>
            <translation type="vanished">…y {n} más; el área de Acuerdos los muestra todos.</translation>
        </message>
    </context>
    <context>
        <name>TrainingPage</name>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/training_page.py" />
            <source>Who took the training</source>
            <translation>Quién hizo la capacitación</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/training_page.py" />
            <source>Course</source>
            <translation>Curso</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/training_page.py" />
            <source>Category</source>
            <translation>Categoría</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/training_page.py" />
            <source>Hours</source>
            <translation>Horas</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/training_page.py" />
            <source>e.g. 8 or 7.5</source>
            <translation>p. ej. 8 o 7.5</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/training_page.py" />
            <source>Date completed</source>
            <translation>Fecha en que se completó</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/training_page.py" />
            <source>Provider</source>
            <translation>Proveedor</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/training_page.py" />
            <source>Record training (Ctrl+Enter)</source>
            <translation>Registrar capacitación (Ctrl+Intro)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/training_page.py" />
            <source>Record the training</source>
            <translation>Registrar la capacitación</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/training_page.py" />
            <source>Required hours for everyone</source>
            <translation>Horas requeridas para todas las personas</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/training_page.py" />
            <source>Set required hours</source>
            <translation>Fijar horas requeridas</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/training_page.py" />
            <source>Save the required hours</source>
            <translation>Guardar las horas requeridas</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/training_page.py" />
            <source>Training message</source>
            <translation>Mensaje de capacitación</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/training_page.py" />
            <source>&amp;Name</source>
            <translation>Nom&amp;bre</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/training_page.py" />
            <source>&amp;Course</source>
            <translation>&amp;Curso</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/training_page.py" />
            <source>Cate&amp;gory</source>
            <translation>Cate&amp;goría</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/training_page.py" />
            <source>&amp;Hours</source>
            <translation>&amp;Horas</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/training_page.py" />
            <source>&amp;Completed on</source>
            <translation>&amp;Completado el</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/training_page.py" />
            <source>&amp;Provider</source>
            <translation>&amp;Proveedor</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/training_page.py" />
            <source>Re&amp;quired hours of youth-focused training:</source>
            <translation>Horas re&amp;queridas de capacitación centrada en la juventud:</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/training_page.py" />
            <source>Training hours against the requirement</source>
            <translation>Horas de capacitación frente a lo requerido</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/training_page.py" />
            <source>Name</source>
            <translation>Nombre</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/training_page.py" />
            <source>Required</source>
            <translation>Requeridas</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/training_page.py" />
            <source>Status</source>
            <translation>Estado</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/training_page.py" />
            <source>Training records</source>
            <translation>Registros de capacitación</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/training_page.py" />
            <source>Completed</source>
            <translation>Cumplido</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/training_page.py" />
            <source>Training</source>
            <translation>Capacitación</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/training_page.py" />
            <source>Courses taken by school resource officers and circle keepers, counted against the hours of youth-focused training the school requires.</source>
            <translation>Cursos tomados por oficiales de recursos escolares y por quienes facilitan círculos, contados frente a las horas de capacitación centrada en la juventud que exige la escuela.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/training_page.py" />
            <source>Recorded: {course}, {hours} for {name}.</source>
            <translation>Registrado: {course}, {hours} para {name}.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/training_page.py" />
            <source>Everyone now needs {hours} of training.</source>
            <translation>Ahora todas las personas necesitan {hours} de capacitación.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/training_page.py" />
            <source>Requirement met</source>
            <translation>Requisito cumplido</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/sro/training_page.py" />
            <source>{hours} still to go</source>
            <translation>Faltan {hours}</translation>
        </message>
    </context>
    <context>
        <name>WelcomeDialog</name>
        <message>
            <location filename="../../src/circlekeeper/ui/welcome.py" />
            <source>Welcome to circlekeeper</source>
            <translation>Bienvenido/a a circlekeeper</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/welcome.py" />
            <source>Your name</source>
            <translation>Su nombre</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/welcome.py" />
            <source>As it should appear on agreements</source>
            <translation>Tal como debe aparecer en los acuerdos</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/welcome.py" />
            <source>Your role</source>
            <translation>Su función</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/welcome.py" />
            <source>e.g. School counselor</source>
            <translation>p. ej. Consejero/a escolar</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/welcome.py" />
            <source>School name</source>
            <translation>Nombre de la escuela</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/welcome.py" />
            <source>Your &amp;name</source>
            <translation>Su &amp;nombre</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/welcome.py" />
            <source>Yo&amp;ur role</source>
            <translation>Su &amp;función</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/welcome.py" />
            <source>&amp;School name</source>
            <translation>Nombre de la &amp;escuela</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/welcome.py" />
            <source>How would you like to start?</source>
            <translation>¿Cómo le gustaría empezar?</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/welcome.py" />
            <source>Start with &amp;demo data (fictional students, for trying things out)</source>
            <translation>Empezar con datos de &amp;demostración (estudiantes ficticios, para probar)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/welcome.py" />
            <source>Start with demo data</source>
            <translation>Empezar con datos de demostración</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/welcome.py" />
            <source>Opens a separate practice database of made-up people and circles.</source>
            <translation>Abre una base de datos de práctica aparte, con personas y círculos inventados.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/welcome.py" />
            <source>&amp;Keep working with the records already in this database</source>
            <translation>&amp;Seguir trabajando con los registros que ya tiene esta base de datos</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/welcome.py" />
            <source>Keep the records in this database</source>
            <translation>Conservar los registros de esta base de datos</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/welcome.py" />
            <source>Start with an &amp;empty database</source>
            <translation>Empezar con una base de datos &amp;vacía</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/welcome.py" />
            <source>Start with an empty database</source>
            <translation>Empezar con una base de datos vacía</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/welcome.py" />
            <source>Demo data goes into a separate practice file, so real records never mix with made-up ones. You can change all of this later in Settings.</source>
            <translation>Los datos de demostración van a un archivo de práctica aparte, así que los registros reales nunca se mezclan con los inventados. Puede cambiar todo esto más tarde en Configuración.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/welcome.py" />
            <source>&amp;Protect these records with a passphrase</source>
            <translation>&amp;Proteger estos registros con una frase de acceso</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/welcome.py" />
            <source>Protect these records with a passphrase</source>
            <translation>Proteger estos registros con una frase de acceso</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/welcome.py" />
            <source>After Start, choose a passphrase; the records file is then encrypted and the passphrase is asked for at each start.</source>
            <translation>Después de Empezar, elija una frase de acceso; el archivo de registros se cifra y la frase se pide en cada inicio.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/welcome.py" />
            <source>Start</source>
            <translation>Empezar</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/welcome.py" />
            <source>Not now</source>
            <translation>Ahora no</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/welcome.py" />
            <source>Welcome</source>
            <translation>Bienvenida</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/welcome.py" />
            <source>circlekeeper keeps your circles, conferences and agreements on this computer only. A few details first:</source>
            <translation>circlekeeper guarda sus círculos, conferencias y acuerdos solo en esta computadora. Primero, unos datos:</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/welcome.py" />
            <source>These are education records about children. A passphrase keeps them unreadable if this laptop is lost. It can be turned on or off later in Settings → Protection.</source>
            <translation>Son expedientes educativos sobre menores. Una frase de acceso los mantiene ilegibles si se pierde esta computadora. Se puede activar o desactivar más tarde en Configuración → Protección.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/welcome.py" />
            <source>Not saved</source>
            <translation>No se guardó</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/welcome.py" />
            <source>Your answers could not be saved just now. Please try Start again.</source>
            <translation>No se pudieron guardar sus respuestas en este momento. Pulse Empezar otra vez.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/welcome.py" />
            <source>Preparing demo data</source>
            <translation>Preparando los datos de demostración</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/welcome.py" />
            <source>Making fictional students, staff and circles…</source>
            <translation>Creando estudiantes, personal y círculos ficticios…</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/welcome.py" />
            <source>Cancel</source>
            <translation>Cancelar</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/welcome.py" />
            <source>Demo data not made</source>
            <translation>No se crearon los datos de demostración</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/welcome.py" />
            <source>The demo data could not be made ({problem}). Your own database was not changed.</source>
            <translation>No se pudieron crear los datos de demostración ({problem}). Su propia base de datos no cambió.</translation>
        </message>
        <message>
            <source>Your &amp;role</source>
            <translation type="vanished">Su &amp;función</translation>
        </message>
    </context>
    <context>
        <name>WithdrawConsentDialog</name>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/withdrawal.py" />
            <source>Consent withdrawn</source>
            <translation>Consentimiento retirado</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/withdrawal.py" />
            <source>Date consent was withdrawn</source>
            <translation>Fecha en que se retiró el consentimiento</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/withdrawal.py" />
            <source>Who withdrew consent</source>
            <translation>Quién retiró el consentimiento</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/withdrawal.py" />
            <source>Not said</source>
            <translation>No se indicó</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/withdrawal.py" />
            <source>{name}, the person taking part</source>
            <translation>{name}, la persona que participa</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/withdrawal.py" />
            <source>Their parent or guardian</source>
            <translation>Su madre, padre o tutor</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/withdrawal.py" />
            <source>&amp;Date:</source>
            <translation>&amp;Fecha:</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/withdrawal.py" />
            <source>&amp;Withdrawn by:</source>
            <translation>&amp;Retirado por:</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/withdrawal.py" />
            <source>Record the withdrawal</source>
            <translation>Registrar que se retiró</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/withdrawal.py" />
            <source>Cancel</source>
            <translation>Cancelar</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/circles/withdrawal.py" />
            <source>{name} will not take part unless consent is recorded again: the circle cannot start while this stands. Tick their consent again when it is given.</source>
            <translation>{name} no participará a menos que se vuelva a registrar el consentimiento: mientras tanto, el círculo no puede comenzar. Vuelva a marcar el consentimiento cuando se dé de nuevo.</translation>
        </message>
    </context>
    <context>
        <name>YearEndDialog</name>
        <message>
            <location filename="../../src/circlekeeper/ui/people/year_end_dialog.py" />
            <source>End of the school year</source>
            <translation>Fin del año escolar</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/year_end_dialog.py" />
            <source>How many students move from each grade</source>
            <translation>Cuántas personas estudiantes pasan de cada grado</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/year_end_dialog.py" />
            <source>Grade now</source>
            <translation>Grado actual</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/year_end_dialog.py" />
            <source>Moves to</source>
            <translation>Pasa a</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/year_end_dialog.py" />
            <source>Students</source>
            <translation>Estudiantes</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/year_end_dialog.py" />
            <source>Students who leave and are archived</source>
            <translation>Estudiantes que terminan y se archivan</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/year_end_dialog.py" />
            <source>A &amp;new school year has begun: close the year again</source>
            <translation>Ya empezó un &amp;nuevo año escolar: cerrar el año otra vez</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/year_end_dialog.py" />
            <source>Close the school year again</source>
            <translation>Cerrar el año escolar otra vez</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/year_end_dialog.py" />
            <source>What closing the year does</source>
            <translation>Qué hace cerrar el año</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/year_end_dialog.py" />
            <source>&amp;Close the school year</source>
            <translation>&amp;Cerrar el año escolar</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/year_end_dialog.py" />
            <source>Move students up a grade and archive leavers</source>
            <translation>Pasar a cada estudiante al grado siguiente y archivar a quienes terminan</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/year_end_dialog.py" />
            <source>Cancel</source>
            <translation>Cancelar</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/year_end_dialog.py" />
            <source>Every student moves up one grade: PK and TK to K, K to 1, and so on. Students in grade 12 leave and are archived; their records are kept. To archive students who left for other reasons, import the new roster and tick the box for students it no longer lists.</source>
            <translation>Cada estudiante pasa al grado siguiente: PK y TK a K, K a 1, y así sucesivamente. Quienes están en el grado 12 terminan y se archivan; sus registros se conservan. Para archivar a estudiantes que se fueron por otras razones, importe la lista nueva y marque la casilla de quienes ya no figuran en ella.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/year_end_dialog.py" />
            <source>&amp;Leaving (grade 12)</source>
            <translation>&amp;Terminan (grado 12)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/year_end_dialog.py" />
            <source>Leaves (archived)</source>
            <translation>Termina (se archiva)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/year_end_dialog.py" />
            <source>1 student moves up a grade</source>
            <translation>1 estudiante pasa al grado siguiente</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/year_end_dialog.py" />
            <source>{count} students move up a grade</source>
            <translation>{count} estudiantes pasan al grado siguiente</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/year_end_dialog.py" />
            <source>1 leaves and is archived.</source>
            <translation>1 termina y se archiva.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/year_end_dialog.py" />
            <source>{count} leave and are archived.</source>
            <translation>{count} terminan y se archivan.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/year_end_dialog.py" />
            <source>The year was last closed on {date}. A &amp;new school year has begun: close the year again</source>
            <translation>El año se cerró por última vez el {date}. Ya empezó un &amp;nuevo año escolar: cerrar el año otra vez</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/year_end_dialog.py" />
            <source>School year closed: {moved} students moved up a grade, {archived} archived.</source>
            <translation>Año escolar cerrado: {moved} estudiantes pasaron al grado siguiente, {archived} archivados.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/people/year_end_dialog.py" />
            <source>Close</source>
            <translation>Cerrar</translation>
        </message>
    </context>
    <context>
        <name>_OnceDialog</name>
        <message>
            <location filename="../../src/circlekeeper/ui/live/dialogs.py" />
            <source>Cancel</source>
            <translation>Cancelar</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/dialogs.py" />
            <source>Close without doing anything (Esc)</source>
            <translation>Cerrar sin hacer nada (Esc)</translation>
        </message>
    </context>
    <context>
        <name>circlekeeper.ui.cases.page</name>
        <message>
            <location filename="../../src/circlekeeper/ui/cases/page.py" />
            <source>{name}: columns</source>
            <translation>{name}: columnas</translation>
        </message>
    </context>
    <context>
        <name>circlekeeper.ui.unexpected</name>
        <message>
            <location filename="../../src/circlekeeper/ui/unexpected.py" />
            <source>Something went wrong</source>
            <translation>Algo salió mal</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/unexpected.py" />
            <source>OK</source>
            <translation>Aceptar</translation>
        </message>
    </context>
    <context>
        <name>core</name>
        <message>
            <location filename="../../src/circlekeeper/core/agreements/commands.py" />
            <source>a draft</source>
            <translation>en borrador</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/agreements/commands.py" />
            <source>active</source>
            <translation>vigente</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/agreements/commands.py" />
            <source>completed</source>
            <translation>cumplido</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/agreements/commands.py" />
            <source>partially completed</source>
            <translation>cumplido en parte</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/agreements/commands.py" />
            <source>not completed</source>
            <translation>no cumplido</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/agreements/commands.py" />
            <source>superseded by a newer version</source>
            <translation>reemplazado por una versión más reciente</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/agreements/commands.py" />
            <source>{what} is required.</source>
            <translation>Complete este dato: {what}.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/agreements/commands.py" />
            <source>{what} is too long ({text_count} characters; at most {limit}).</source>
            <translation>{what}: el texto es demasiado largo ({text_count} caracteres; como máximo {limit}).</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/agreements/commands.py" />
            <source>An agreement belongs to a circle or a case; choose one.</source>
            <translation>Un acuerdo pertenece a un círculo o a un caso; elija uno de los dos.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/agreements/commands.py" />
            <source>There is no circle with id {circle_id} in this database.</source>
            <translation>No hay ningún círculo con el id {circle_id} en esta base de datos.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/agreements/commands.py" />
            <source>There is no case with id {case_id} in this database.</source>
            <translation>En esta base de datos no hay ningún caso con el id {case_id}.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/agreements/commands.py" />
            <source>This agreement</source>
            <translation>Este acuerdo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/agreements/commands.py" />
            <source>This agreement item</source>
            <translation>Este compromiso del acuerdo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/agreements/commands.py" />
            <source>The new order must list every item of this agreement exactly once; the list may be out of date, so reload the agreement and try again.</source>
            <translation>El nuevo orden debe incluir cada punto de este acuerdo una sola vez; puede que la lista no esté al día, así que vuelva a cargar el acuerdo e inténtelo de nuevo.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/agreements/commands.py" />
            <source>The signature date {signed_on:%Y-%m-%d} is in the future.</source>
            <translation>La fecha de la firma ({signed_on:%Y-%m-%d}) todavía no ha llegado.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/agreements/commands.py" />
            <source>This agreement is {status_word}; signatures can only be recorded on a draft or an active agreement.</source>
            <translation>Este acuerdo está {status_word}; solo se pueden registrar firmas en un acuerdo en borrador o vigente.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/agreements/commands.py" />
            <source>{full_name} is not on file as a guardian of {student_full_name}. Link them in People first.</source>
            <translation>{full_name} no figura como tutor/a de {student_full_name}. Primero vincule a esa persona en Personas.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/agreements/commands.py" />
            <source>{full_name}'s signature is already recorded.</source>
            <translation>La firma de {full_name} ya está registrada.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/agreements/commands.py" />
            <source>That signature is no longer recorded.</source>
            <translation>Esa firma ya no está registrada.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/agreements/commands.py" />
            <source>Signatures of a closed agreement can no longer be changed.</source>
            <translation>Las firmas de un acuerdo cerrado ya no se pueden cambiar.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/agreements/commands.py" />
            <source>The agreement has no items yet; add at least one.</source>
            <translation>El acuerdo todavía no tiene puntos; agregue al menos uno.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/agreements/commands.py" />
            <source>Item {unassigned} has no one responsible for it; choose who will do it.</source>
            <translation>El punto {unassigned} no tiene a nadie responsable; elija quién lo va a cumplir.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/agreements/commands.py" />
            <source>No signatures are recorded yet. Record who signed the paper agreement first.</source>
            <translation>Todavía no hay firmas registradas. Primero registre quiénes firmaron el acuerdo en papel.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/agreements/commands.py" />
            <source>The note</source>
            <translation>La nota</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/agreements/commands.py" />
            <source>{outcome} is not a way an agreement can end.</source>
            <translation>{outcome} no es una forma en que pueda terminar un acuerdo.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/agreements/commands.py" />
            <source>An agreement closes as completed, partially completed or not completed.</source>
            <translation>Un acuerdo se cierra como cumplido, cumplido en parte o no cumplido.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/agreements/commands.py" />
            <source>Only {done} of {total} items are ticked off; tick off the rest, or close it as partially completed.</source>
            <translation>Solo {done} de {total} puntos están marcados como hechos; marque los demás o ciérrelo como cumplido en parte.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/agreements/commands.py" />
            <source>{done} of {total} items are ticked off, so this is not partial; close it as {better}.</source>
            <translation>{done} de {total} puntos están marcados como hechos, así que no es un cumplimiento parcial; ciérrelo como {better}.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/agreements/commands.py" />
            <source>Every item is ticked off; close it as completed.</source>
            <translation>Todos los puntos están marcados como hechos; ciérrelo como cumplido.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/agreements/commands.py" />
            <source>This agreement is {status_word}, so it cannot be renegotiated; edit the draft instead.</source>
            <translation>Este acuerdo está {status_word}, así que no se puede renegociar; en su lugar, modifique el borrador.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/agreements/commands.py" />
            <source>This agreement is {status_word}, so it cannot be renegotiated; open the newest version instead.</source>
            <translation>Este acuerdo está {status_word}, así que no se puede renegociar; en su lugar, abra la versión más reciente.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/agreements/commands.py" />
            <source>This agreement is {status_word}, so it cannot be renegotiated.</source>
            <translation>Este acuerdo está {status_word}, así que no se puede renegociar.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/agreements/commands.py" />
            <source>This agreement is {status_word} and cannot become {status_word_target}: {hint}</source>
            <translation>Este acuerdo está {status_word} y no puede pasar a {status_word_target}: {hint}</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/agreements/commands.py" />
            <source>This agreement is {status_word}, so its text can no longer be changed. To change what was agreed, renegotiate it: that makes a new version and keeps the signed one in the history.</source>
            <translation>Este acuerdo está {status_word}, así que su texto ya no se puede cambiar. Para cambiar lo acordado, renegócielo: así se crea una versión nueva y la firmada queda en el historial.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/agreements/commands.py" />
            <source>Items can only be ticked off on an active agreement; this one is {status_word}.</source>
            <translation>Solo se pueden marcar puntos como hechos en un acuerdo vigente; este está {status_word}.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/agreements/commands.py" />
            <source>There is no agreement item with id {item_id}; it may have been removed.</source>
            <translation>No hay ningún punto de acuerdo con el id {item_id}; es posible que se haya eliminado.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/agreements/commands.py" />
            <source>The description of the harm</source>
            <translation>La descripción del daño</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/agreements/commands.py" />
            <source>What happens if it is not kept</source>
            <translation>Qué pasa si no se cumple</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/agreements/commands.py" />
            <source>What will be done</source>
            <translation>Lo que se hará</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/agreements/commands.py" />
            <source>Unknown kind of agreement item: {kind}.</source>
            <translation>Tipo de punto de acuerdo desconocido: {kind}.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/agreements/commands.py" />
            <source>{full_name} is not a participant in this circle or case; add them there first, or choose someone who took part.</source>
            <translation>{full_name} no participa en este círculo ni en este caso; agregue primero a esa persona allí, o elija a alguien que haya participado.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/agreements/commands.py" />
            <source>How it will be checked</source>
            <translation>Cómo se verificará</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/agreements/commands.py" />
            <source>What will be done, in Spanish</source>
            <translation>Lo que se hará, en español</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/agreements/commands.py" />
            <source>How it will be checked, in Spanish</source>
            <translation>Cómo se verificará, en español</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/agreements/placeholders.py" />
            <source>Item {items} still has words in square brackets to fill in, such as {example}. Replace each one with what was agreed, then make the agreement active. Nothing was changed.</source>
            <translation>El compromiso {items} todavía tiene palabras entre corchetes por completar, como {example}. Reemplace cada una por lo que se acordó y luego active el acuerdo. No se cambió nada.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/agreements/placeholders.py" />
            <source>Item {items} still has words in square brackets to fill in, such as {example}, so the agreement cannot be printed or saved for signing yet. Replace each one with what was agreed, or print a draft copy (marked DRAFT) to talk it over. Nothing was saved.</source>
            <translation>El compromiso {items} todavía tiene palabras entre corchetes por completar, como {example}, así que el acuerdo aún no se puede imprimir ni guardar para firmar. Reemplace cada una por lo que se acordó, o imprima una copia borrador (marcada BORRADOR) para conversarla. No se guardó nada.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/agreements/queries.py" />
            <source>There is no agreement {text} in this database.</source>
            <translation>En esta base de datos no hay ningún acuerdo {text}.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/agreements/queries.py" />
            <source>There is no agreement with id {agreement_id} in this database.</source>
            <translation>En esta base de datos no hay ningún acuerdo con el id {agreement_id}.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/agreements/queries.py" />
            <source>There is no person with id {person_id} in this database.</source>
            <translation>En esta base de datos no hay ninguna persona con el id {person_id}.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/agreements/views.py" />
            <source>There is no person with id {student_id} in this database.</source>
            <translation>En esta base de datos no hay ninguna persona con el id {student_id}.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/agreements/views.py" />
            <source>{full_name} is not a party to this agreement.</source>
            <translation>{full_name} no es parte de este acuerdo.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/audit/conflicts.py" />
            <source>(empty)</source>
            <translation>(vacío)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/audit/conflicts.py" />
            <source>(text)</source>
            <translation>(texto)</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/audit/conflicts.py" />
            <source>yes</source>
            <translation>sí</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/audit/conflicts.py" />
            <source>no</source>
            <translation>no</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/audit/conflicts.py" />
            <source>{field}: the text was changed</source>
            <translation>{field}: se cambió el texto</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/audit/conflicts.py" />
            <source>someone</source>
            <translation>alguien</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/audit/conflicts.py" />
            <source>someone else</source>
            <translation>otra persona</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/audit/conflicts.py" />
            <source>{what} was changed by {people} {at}after you opened it, so your save was refused: nothing you entered was saved, and nothing of theirs was overwritten.</source>
            <translation>{what} fue modificado por {people} {at}después de que usted lo abrió, así que su cambio no se guardó: no se guardó nada de lo que usted escribió y no se sobrescribió nada de lo que guardó la otra persona.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/audit/conflicts.py" />
            <source>at {stamp} </source>
            <translation>el {stamp} </translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/audit/conflicts.py" />
            <source>What they changed: {listed}.</source>
            <translation>Lo que cambió: {listed}.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/audit/conflicts.py" />
            <source>Load it again to see their change, then make yours again.</source>
            <translation>Vuelva a cargarlo para ver ese cambio y luego haga el suyo de nuevo.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/cases/commands.py" />
            <source>Record the eligibility screen before marking it screened.</source>
            <translation>Registre la evaluación de elegibilidad antes de marcar el caso como evaluado.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/cases/commands.py" />
            <source>This case cannot go to a conference:</source>
            <translation>Este caso no puede pasar a una conferencia:</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/cases/commands.py" />
            <source>{role} is not a role in a case. Use one of: {allowed}.</source>
            <translation>{role} no es un rol dentro de un caso. Use uno de estos: {allowed}.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/cases/commands.py" />
            <source>Say what kind of incident this is (the incident category).</source>
            <translation>Indique qué tipo de incidente es (la categoría del incidente).</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/cases/commands.py" />
            <source>The incident category is too long (at most 60 characters).</source>
            <translation>La categoría del incidente es demasiado larga (como máximo 60 caracteres).</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/cases/commands.py" />
            <source>{referral_source} is not a referral source. Use one of: {allowed}.</source>
            <translation>{referral_source} no es un origen de remisión. Use uno de estos: {allowed}.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/cases/commands.py" />
            <source>The incident date ({incident_on}) is after the referral date ({referred_on}); check both dates.</source>
            <translation>La fecha del incidente ({incident_on}) es posterior a la fecha de la remisión ({referred_on}); revise ambas fechas.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/cases/commands.py" />
            <source>The same person is listed twice among the people involved; give them one role (use 'harmed and responsible' for mutual conflicts).</source>
            <translation>La misma persona aparece dos veces entre las personas involucradas; asígnele un solo rol (use 'afectado y responsable' en los conflictos mutuos).</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/cases/commands.py" />
            <source>{name} is already in this case as {existing}; change their role instead of adding them again.</source>
            <translation>{name} ya está en este caso como {existing}; cambie su rol en lugar de agregarla otra vez.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/cases/commands.py" />
            <source>That person is no longer part of this case.</source>
            <translation>Esa persona ya no forma parte de este caso.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/cases/commands.py" />
            <source>{referral_source} is not a referral source.</source>
            <translation>{referral_source} no es un origen de remisión.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/cases/commands.py" />
            <source>The incident date is after the referral date; check both dates.</source>
            <translation>La fecha del incidente es posterior a la fecha de la remisión; revise ambas fechas.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/cases/commands.py" />
            <source>This case</source>
            <translation>Este caso</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/cases/commands.py" />
            <source>{status} is not a step of the case pipeline.</source>
            <translation>{status} no es una etapa del proceso del caso.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/cases/commands.py" />
            <source>Closing a case needs a closure reason: use Close case.</source>
            <translation>Para cerrar un caso hace falta un motivo de cierre: use Cerrar caso.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/cases/commands.py" />
            <source>Say why the case goes back from {value} to {target_value}.</source>
            <translation>Indique por qué el caso vuelve de {value} a {target_value}.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/cases/commands.py" />
            <source>A case moves one step at a time: from {current} it can go to {forward} (or back to {back}).</source>
            <translation>Un caso avanza de una etapa a la vez: desde {current} puede pasar a {forward} (o volver a {back}).</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/cases/commands.py" />
            <source>A case moves one step at a time: from {current} it can go to {forward}.</source>
            <translation>Un caso avanza de una etapa a la vez: desde {current} puede pasar a {forward}.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/cases/commands.py" />
            <source>A case closes with one of these reasons: {allowed}.</source>
            <translation>Un caso se cierra con uno de estos motivos: {allowed}.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/cases/commands.py" />
            <source>Open follow-ups can only be cancelled or kept.</source>
            <translation>Los seguimientos pendientes solo se pueden cancelar o conservar.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/cases/commands.py" />
            <source>This case is already closed ({closure_reason}).</source>
            <translation>Este caso ya está cerrado ({closure_reason}).</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/cases/commands.py" />
            <source>This case has no hand-off recorded, so it cannot close as 'handed off'. Nothing was changed. Record the hand-off first (who received it, what was shared and why), or choose another reason.</source>
            <translation>Este caso no tiene ninguna derivación registrada, así que no puede cerrarse como 'derivado'. No se cambió nada. Primero registre la derivación (quién la recibió, qué se compartió y por qué) o elija otro motivo.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/cases/commands.py" />
            <source>Diverted from must be one of: {allowed}.</source>
            <translation>Lo que se evitó debe ser uno de estos: {allowed}.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/cases/commands.py" />
            <source>Nothing was diverted, so there is no amount and no consequence to reinstate.</source>
            <translation>No se evitó ninguna medida, así que no hay cantidad ni consecuencia que restablecer.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/cases/commands.py" />
            <source>The amount diverted (for example suspension days) cannot be negative.</source>
            <translation>La cantidad evitada (por ejemplo, días de suspensión) no puede ser negativa.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/cases/commands.py" />
            <source>The amount diverted looks too large; give days (at most 365).</source>
            <translation>La cantidad evitada parece demasiado grande; indíquela en días (como máximo 365).</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/cases/commands.py" />
            <source>The contact time needs a time zone; it cannot be guessed.</source>
            <translation>La hora del contacto necesita una zona horaria; no se puede adivinar.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/cases/commands.py" />
            <source>The contact method must be one of: {allowed}.</source>
            <translation>La forma de contacto debe ser una de estas: {allowed}.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/cases/eligibility.py" />
            <source>This conference cannot be held:</source>
            <translation>Esta conferencia no se puede realizar:</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/cases/eligibility.py" />
            <source>This circle cannot be held:</source>
            <translation>Este círculo no se puede realizar:</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/cases/eligibility.py" />
            <source>This conference's eligibility screen and its case's cannot be combined because one of them could not be read. Nothing was changed; redo the screen first.</source>
            <translation>La evaluación de elegibilidad de esta conferencia y la de su caso no se pueden combinar porque una de las dos no se pudo leer. No se cambió nada; primero vuelva a hacer la evaluación.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/cases/eligibility.py" />
            <source>This case is closed; reopen it before changing the screen.</source>
            <translation>Este caso está cerrado; reábralo antes de cambiar la evaluación.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/cases/eligibility.py" />
            <source>This circle is over; its screen cannot be changed now.</source>
            <translation>Este círculo ya terminó; su evaluación ya no se puede cambiar.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/cases/eligibility.py" />
            <source>The case of this conference is closed; reopen it before changing the screen.</source>
            <translation>El caso de esta conferencia está cerrado; reábralo antes de cambiar la evaluación.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/cases/eligibility.py" />
            <source>That is not an answer the screen can take ({exc}).</source>
            <translation>Esa no es una respuesta válida para la evaluación ({exc}).</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/cases/handoffs.py" />
            <source>Choose where it is handed: BTAM, Title IX, child protection, mental-health services or the police.</source>
            <translation>Elija a dónde se deriva: equipo BTAM, Título IX, protección infantil, servicios de salud mental o la policía.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/cases/handoffs.py" />
            <source>Say who received it (a name, or the team and the person you spoke to).</source>
            <translation>Indique quién la recibió (un nombre, o el equipo y la persona con quien habló).</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/cases/handoffs.py" />
            <source>The recipient is too long ({name_limit} characters at most).</source>
            <translation>El nombre de quien la recibe es demasiado largo (como máximo {name_limit} caracteres).</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/cases/handoffs.py" />
            <source>Choose the FERPA basis for sharing (for example a health or safety emergency, or a school official with a legitimate educational interest).</source>
            <translation>Elija la base de FERPA para compartir la información (por ejemplo, una emergencia de salud o seguridad, o un funcionario escolar con un interés educativo legítimo).</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/cases/handoffs.py" />
            <source>Say what was shared (for example: the referral and the incident date).</source>
            <translation>Indique qué se compartió (por ejemplo: la remisión y la fecha del incidente).</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/cases/handoffs.py" />
            <source>What was shared is too long ({shared_limit} characters at most).</source>
            <translation>Lo que se compartió es demasiado largo (como máximo {shared_limit} caracteres).</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/cases/handoffs.py" />
            <source>For a health or safety emergency, say what the threat was: the law asks that it be recorded with the disclosure.</source>
            <translation>En una emergencia de salud o seguridad, indique cuál era la amenaza: la ley pide que quede registrada junto con la divulgación.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/cases/handoffs.py" />
            <source>The hand-off was not saved. {problems}</source>
            <translation>La derivación no se guardó. {problems}</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/cases/handoffs.py" />
            <source>{basis} is not a FERPA basis. Use one of: {allowed}. Nothing was written.</source>
            <translation>{basis} no es una base de FERPA. Use una de estas: {allowed}. No se guardó nada.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/cases/handoffs.py" />
            <source>A hand-off belongs to one case or to one circle.</source>
            <translation>Una derivación pertenece a un caso o a un círculo.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/cases/handoffs.py" />
            <source>The note is too long ({shared_limit} characters at most).</source>
            <translation>La nota es demasiado larga (como máximo {shared_limit} caracteres).</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/cases/handoffs.py" />
            <source>The date and time must include the time zone.</source>
            <translation>La fecha y la hora deben incluir la zona horaria.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/cases/handoffs.py" />
            <source>There is no hand-off with id {hand_off_id} in this database.</source>
            <translation>En esta base de datos no hay ninguna derivación con el id {hand_off_id}.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/cases/handoffs.py" />
            <source>This hand-off already came back on {returned_on}.</source>
            <translation>Esta derivación ya regresó el {returned_on}.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/cases/handoffs.py" />
            <source>It cannot come back before it was handed on ({handed_on}). Check the date.</source>
            <translation>No puede regresar antes de la fecha en que se derivó ({handed_on}). Revise la fecha.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/cases/handoffs.py" />
            <source>A re-entry circle is planned for a case; this hand-off has none.</source>
            <translation>Un círculo de reintegración se planifica para un caso; esta derivación no tiene ninguno.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/cases/handoffs.py" />
            <source>A school resource officer's profile cannot read a student's record of disclosures; it is kept for the student and the family by school staff. Ask a counselor or an administrator.</source>
            <translation>El perfil de un oficial de recursos escolares (SRO) no puede leer el registro de divulgaciones de un estudiante; lo lleva el personal de la escuela para el estudiante y su familia. Consulte a un consejero o a un administrador.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/cases/incidents.py" />
            <source>{text} is not a time of day. Write it as hours and minutes, for example 13:45.</source>
            <translation>{text} no es una hora del día. Escríbala en horas y minutos, por ejemplo 13:45.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/cases/incidents.py" />
            <source>{swis_level} is not a SWIS level. Use major or minor.</source>
            <translation>{swis_level} no es un nivel de SWIS. Use mayor o menor.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/cases/incidents.py" />
            <source>Give the incident type a name.</source>
            <translation>Póngale un nombre al tipo de incidente.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/cases/incidents.py" />
            <source>The name is too long (at most {max_label} characters).</source>
            <translation>El nombre es demasiado largo (como máximo {max_label} caracteres).</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/cases/incidents.py" />
            <source>{label} is already in the list; nothing was added.</source>
            <translation>{label} ya está en la lista; no se agregó nada.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/cases/incidents.py" />
            <source>Choose the SWIS problem behaviour this type counts as.</source>
            <translation>Elija la conducta problemática de SWIS a la que corresponde este tipo.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/cases/incidents.py" />
            <source>Say whether it is a major or a minor problem behaviour.</source>
            <translation>Indique si es una conducta problemática mayor o menor.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/cases/incidents.py" />
            <source>Incident type {type_id} is not in this database.</source>
            <translation>El tipo de incidente {type_id} no está en esta base de datos.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/cases/queries.py" />
            <source>There is no {what} with id {person_id} in this database.</source>
            <translation>En esta base de datos no hay {what} con el id {person_id}.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/circles/commands.py" />
            <source>This circle is over; people cannot be added to it now.</source>
            <translation>Este círculo ya terminó; ya no se pueden agregar personas.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/circles/commands.py" />
            <source>The seating plan must place every participant of this circle exactly once.</source>
            <translation>El plan de asientos debe ubicar a cada participante de este círculo una sola vez.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/circles/commands.py" />
            <source>Who withdrew consent must be the person or their guardian, not {by!r}.</source>
            <translation>Quien retira el consentimiento debe ser la persona o su madre, padre o tutor, no {by!r}.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/circles/commands.py" />
            <source>This circle is over; its consents cannot be changed now.</source>
            <translation>Este círculo ya terminó; sus consentimientos ya no se pueden cambiar.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/circles/commands.py" />
            <source>Consent cannot be withdrawn on a day still to come ({date}).</source>
            <translation>El consentimiento no se puede retirar en un día que todavía no llega ({date}).</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/circles/commands.py" />
            <source>Consent for {name} was already withdrawn on {date}.</source>
            <translation>El consentimiento de {name} ya se retiró el {date}.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/circles/commands.py" />
            <source>Consent for {name} was given on {given}; it cannot have been withdrawn before that.</source>
            <translation>El consentimiento de {name} se dio el {given}; no pudo retirarse antes de esa fecha.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/circles/commands.py" />
            <source>{name} is an adult: only they can withdraw their consent.</source>
            <translation>{name} es mayor de edad: solo esa persona puede retirar su consentimiento.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/circles/commands.py" />
            <source>Unknown kind of circle: {kind}.</source>
            <translation>Tipo de círculo desconocido: {kind}.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/circles/commands.py" />
            <source>Planned length must be between 1 minute and a day.</source>
            <translation>La duración prevista debe estar entre 1 minuto y un día.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/circles/commands.py" />
            <source>The title is too long (200 characters at most).</source>
            <translation>El título es demasiado largo (como máximo 200 caracteres).</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/circles/commands.py" />
            <source>The place is too long (120 characters at most).</source>
            <translation>El lugar es demasiado largo (como máximo 120 caracteres).</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/circles/commands.py" />
            <source>The facilitator and the co-facilitator must be two people.</source>
            <translation>El facilitador y el cofacilitador deben ser dos personas distintas.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/circles/commands.py" />
            <source>The {what} (person {person_id}) is not in this database.</source>
            <translation>{what} (persona {person_id}) no está en esta base de datos.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/circles/commands.py" />
            <source>Case {case_id} is not in this database.</source>
            <translation>El caso {case_id} no está en esta base de datos.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/circles/commands.py" />
            <source>Person {person_id} is not in this database.</source>
            <translation>La persona {person_id} no está en esta base de datos.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/circles/commands.py" />
            <source>That person is already in this circle.</source>
            <translation>Esa persona ya está en este círculo.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/circles/commands.py" />
            <source>Someone cannot be their own supporter.</source>
            <translation>Nadie puede ser su propia persona de apoyo.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/circles/commands.py" />
            <source>The person supported must be a participant of the same circle.</source>
            <translation>La persona a quien se apoya debe participar en el mismo círculo.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/circles/commands.py" />
            <source>This circle is {status}; only a planned circle can be changed this way.</source>
            <translation>Este círculo está {status}; solo un círculo planificado se puede cambiar de esta manera.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/circles/commands.py" />
            <source>Unknown role: {role}.</source>
            <translation>Rol desconocido: {role}.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/circles/consent_form.py" />
            <source>There is no circle with id {id} in this database.</source>
            <translation>No hay ningún círculo con el número {id} en esta base de datos.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/circles/consent_form.py" />
            <source>A consent form is for a circle that deals with harm (harm and repair, re-entry, a conference); this one is a {kind}.</source>
            <translation>El formulario de consentimiento es para un círculo que trata un daño (reparación del daño, reingreso, conferencia); este es de otro tipo: {kind}.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/circles/consent_form.py" />
            <source>Person {person} does not take part in circle {circle}, so there is no consent form for them.</source>
            <translation>La persona {person} no participa en el círculo {circle}, así que no hay formulario de consentimiento para ella.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/circles/consent_form.py" />
            <source>Nobody taking part has been invited to this circle yet, so there is no consent form to print.</source>
            <translation>Todavía no se ha invitado a nadie a participar en este círculo, así que no hay formulario de consentimiento que imprimir.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/circles/queries.py" />
            <source>That participant is no longer in the circle.</source>
            <translation>Ese participante ya no está en el círculo.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/demo/demo.py" />
            <source>Unknown demo size {size}; choose one of: {sizes}.</source>
            <translation>Tamaño de demostración desconocido: {size}; elija uno de estos: {sizes}.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/demo/demo.py" />
            <source>{path} is a folder; give a file name for the demo, for example {file}.</source>
            <translation>{path} es una carpeta; indique un nombre de archivo para la demostración, por ejemplo {file}.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/demo/demo.py" />
            <source>{path} already exists; the demo will not overwrite it. Choose a new file name.</source>
            <translation>{path} ya existe; la demostración no lo va a sobrescribir. Elija otro nombre de archivo.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/demo/demo.py" />
            <source>The demo could not be written to {path} ({strerror}). Choose a folder you can write to.</source>
            <translation>No se pudo guardar la demostración en {path} ({strerror}). Elija una carpeta en la que pueda escribir.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/demo/demo.py" />
            <source>{path} already exists (it appeared while this demo was being built, perhaps by another build); it was left as it is. Choose a new file name.</source>
            <translation>{path} ya existe (apareció mientras se creaba esta demostración, quizá por otra creación en curso); se dejó tal como estaba. Elija otro nombre de archivo.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/domain/eligibility.py" />
            <source>A guardian of {name} withdrew consent on {date}; record consent again before this circle is held.</source>
            <translation>La madre, el padre o tutor de {name} retiró el consentimiento el {date}; vuelva a registrar el consentimiento antes de hacer este círculo.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/domain/eligibility.py" />
            <source>{name} withdrew their consent on {date}; record consent again before this circle is held.</source>
            <translation>{name} retiró su consentimiento el {date}; vuelva a registrar el consentimiento antes de hacer este círculo.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/domain/eligibility.py" />
            <source>Consent for {name} was withdrawn on {date}; record consent again before this circle is held.</source>
            <translation>Se retiró el consentimiento de {name} el {date}; vuelva a registrar el consentimiento antes de hacer este círculo.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/domain/enums.py" />
            <source>Community-building circle</source>
            <translation>Círculo para fortalecer la comunidad</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/domain/enums.py" />
            <source>Check-in / check-out circle</source>
            <translation>Círculo de entrada / salida</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/domain/enums.py" />
            <source>Academic circle</source>
            <translation>Círculo académico</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/domain/enums.py" />
            <source>Norm-setting circle</source>
            <translation>Círculo para acordar normas</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/domain/enums.py" />
            <source>Problem-solving circle</source>
            <translation>Círculo para resolver problemas</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/domain/enums.py" />
            <source>Harm / repair circle</source>
            <translation>Círculo de daño y reparación</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/domain/enums.py" />
            <source>Re-entry circle</source>
            <translation>Círculo de reintegración</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/domain/enums.py" />
            <source>Individual support circle</source>
            <translation>Círculo de apoyo individual</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/domain/enums.py" />
            <source>Grief circle</source>
            <translation>Círculo de duelo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/domain/enums.py" />
            <source>Celebration circle</source>
            <translation>Círculo de celebración</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/domain/enums.py" />
            <source>Staff circle</source>
            <translation>Círculo del personal</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/domain/enums.py" />
            <source>Family / community circle</source>
            <translation>Círculo con familias / comunidad</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/domain/enums.py" />
            <source>Restorative conference</source>
            <translation>Conferencia restaurativa</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/domain/enums.py" />
            <source>Preparation meeting</source>
            <translation>Reunión de preparación</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/domain/enums.py" />
            <source>Agreement completion meeting</source>
            <translation>Reunión de cierre del acuerdo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/domain/live.py" />
            <source>The script has no stages.</source>
            <translation>El guion no tiene etapas.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/domain/live.py" />
            <source>Someone is seated twice.</source>
            <translation>Hay una persona sentada dos veces.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/domain/live.py" />
            <source>Nobody holds the talking piece, so nobody can pass.</source>
            <translation>Nadie tiene la pieza para hablar, así que nadie puede pasar.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/domain/live.py" />
            <source>That person is not in the circle now.</source>
            <translation>Esa persona no está ahora en el círculo.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/domain/live.py" />
            <source>This stage's question is not addressed to that person.</source>
            <translation>La pregunta de esta etapa no está dirigida a esa persona.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/domain/live.py" />
            <source>The talking piece is set aside; pick it up first.</source>
            <translation>La pieza para hablar está a un lado; retómela primero.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/domain/live.py" />
            <source>That person has already had a turn in this round.</source>
            <translation>Esa persona ya tuvo su turno en esta ronda.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/domain/live.py" />
            <source>The talking piece is set aside; pick it up before going back.</source>
            <translation>La pieza para hablar está a un lado; retómela antes de volver atrás.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/domain/live.py" />
            <source>There is no move to undo in this stage.</source>
            <translation>No hay ningún paso que deshacer en esta etapa.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/domain/live.py" />
            <source>This is the last stage; end the circle when you are ready.</source>
            <translation>Esta es la última etapa; termine el círculo cuando esté listo/a.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/domain/live.py" />
            <source>This is the first stage.</source>
            <translation>Esta es la primera etapa.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/domain/live.py" />
            <source>That person is already in the circle.</source>
            <translation>Esa persona ya está en el círculo.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/domain/live.py" />
            <source>Show one or two of the script's languages.</source>
            <translation>Muestre uno o dos de los idiomas del guion.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/domain/live.py" />
            <source>This stage has no talking-piece round; go on to the next stage.</source>
            <translation>Esta etapa no tiene ronda con la pieza para hablar; pase a la siguiente etapa.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/domain/live.py" />
            <source>The talking piece is set aside; pick it up to go on.</source>
            <translation>La pieza para hablar está a un lado; retómela para continuar.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/domain/live.py" />
            <source>Popcorn order: choose who speaks next.</source>
            <translation>Orden de palomitas: elija quién habla ahora.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/domain/live.py" />
            <source>Nobody in the circle is addressed in this stage.</source>
            <translation>En esta etapa no hay nadie del círculo a quien se dirija la pregunta.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/evaluation/fidelity.py" />
            <source>The note is {note_count:,} characters; keep it under {max_note:,}. Nothing was saved.</source>
            <translation>La nota tiene {note_count:,} caracteres; no debe pasar de {max_note:,}. No se guardó nada.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/evaluation/fidelity.py" />
            <source>{exc} Nothing was saved.</source>
            <translation>{exc} No se guardó nada.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/evaluation/fidelity.py" />
            <source>The fidelity checklist is completed after the circle has been held; this one is {status}.</source>
            <translation>La lista de verificación de fidelidad se completa después de realizado el círculo; este está {status}.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/evaluation/surveys.py" />
            <source>A survey comes in on the laptop or on paper, not {source}.</source>
            <translation>Una encuesta se responde en la computadora portátil o en papel, no {source}.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/evaluation/surveys.py" />
            <source>Surveys are answered after the circle has been held; this one is {status}. Nothing was saved.</source>
            <translation>Las encuestas se responden después de realizado el círculo; este está {status}. No se guardó nada.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/evaluation/surveys.py" />
            <source>No one is marked present in this circle, so there is no one to answer a survey. Nothing was saved.</source>
            <translation>En este círculo nadie está marcado como presente, así que no hay quién responda una encuesta. No se guardó nada.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/evaluation/surveys.py" />
            <source>This round of surveys is closed, so this answer was not saved. Start a new round from the circle if more people want to answer.</source>
            <translation>Esta ronda de encuestas está cerrada, así que esta respuesta no se guardó. Si más personas quieren responder, inicie una ronda nueva desde el círculo.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/evaluation/surveys.py" />
            <source>All {expected} people present have already answered, so this one was not saved: a survey is answered once by each person.</source>
            <translation>Las {expected} personas presentes ya respondieron, así que esta respuesta no se guardó: cada persona responde la encuesta una sola vez.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/evaluation/surveys.py" />
            <source>There is no survey round with id {sitting_id} in this database.</source>
            <translation>En esta base de datos no hay ninguna ronda de encuestas con el id {sitting_id}.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/export/calendar.py" />
            <source>{path} is a folder; give a file name such as {value}.</source>
            <translation>{path} es una carpeta; indique un nombre de archivo, como {value}.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/export/calendar.py" />
            <source>The folder {folder} does not exist; choose a folder that does.</source>
            <translation>La carpeta {folder} no existe; elija una carpeta que exista.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/export/calendar.py" />
            <source>Cannot write in {folder} ({value}). Choose a folder you can write to.</source>
            <translation>No se puede escribir en {folder} ({value}). Elija una carpeta en la que se pueda escribir.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/export/calendar.py" />
            <source>Cannot write the calendar to {path} ({value}). Nothing was changed; choose another place.</source>
            <translation>No se puede escribir el calendario en {path} ({value}). No se cambió nada; elija otro lugar.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/export/report_files.py" />
            <source>The internal view, with nothing hidden, is for the screen only, so nothing was saved. Build the report without the internal view to save or print it.</source>
            <translation>La vista interna, sin nada oculto, es solo para la pantalla, así que no se guardó nada. Genere el informe sin la vista interna para guardarlo o imprimirlo.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/export/report_files.py" />
            <source>{path} is a folder. Give a file name, for example {value}.</source>
            <translation>{path} es una carpeta. Indique un nombre de archivo, por ejemplo {value}.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/export/report_files.py" />
            <source>The folder {folder} does not exist. Nothing was saved; create it or choose another place.</source>
            <translation>La carpeta {folder} no existe. No se guardó nada; créela o elija otro lugar.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/export/report_files.py" />
            <source>Cannot write {path} (permission denied). Nothing was saved; choose a place you can write to.</source>
            <translation>No se puede escribir {path} (permiso denegado). No se guardó nada; elija un lugar donde se pueda escribir.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/export/report_files.py" />
            <source>Cannot write {path} ({value}). Nothing was saved; choose a place you can write to, or close the file if another program has it open.</source>
            <translation>No se puede escribir {path} ({value}). No se guardó nada; elija un lugar donde se pueda escribir, o cierre el archivo si otro programa lo tiene abierto.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/export/report_html.py" />
            <source>Unknown language {lang}; use one of {value}.</source>
            <translation>Idioma desconocido: {lang}; use uno de estos: {value}.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/export/survey_form.py" />
            <source>Print between 1 and {max_copies} forms (asked for {copies}). Give the number of people who will answer.</source>
            <translation>Imprima entre 1 y {max_copies} formularios (se pidieron {copies}). Indique el número de personas que van a responder.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/export/templates.py" />
            <source>The logo file {logo} was not found, so the document was made without it. Choose the logo again in Settings.</source>
            <translation>No se encontró el archivo del logotipo {logo}, así que el documento se hizo sin él. Vuelva a elegir el logotipo en Configuración.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/export/templates.py" />
            <source>Item {items} has no Spanish wording, so the Spanish copy prints its English words and says so.</source>
            <translation>El compromiso {items} no tiene redacción en español, así que la copia en español imprime el texto en inglés y lo indica.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/facilitation/actions.py" />
            <source>Unknown live action: {kind}.</source>
            <translation>Acción en vivo desconocida: {kind}.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/facilitation/actions.py" />
            <source>The server cannot be reached, and this needs it. Everything done so far is saved on this laptop; do it again once the server is back.</source>
            <translation>No se puede conectar con el servidor, y esto lo necesita. Todo lo hecho hasta ahora está guardado en esta computadora; vuelva a hacerlo cuando regrese el servidor.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/facilitation/actions.py" />
            <source>That person is not in this circle.</source>
            <translation>Esa persona no está en este círculo.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/facilitation/actions.py" />
            <source>That stage is not in this circle's script.</source>
            <translation>Esa etapa no está en el guion de este círculo.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/facilitation/commands.py" />
            <source>This circle is {status}; only a planned circle can be started.</source>
            <translation>Este círculo está {status}; solo se puede iniciar un círculo planificado.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/facilitation/commands.py" />
            <source>Choose a script for this circle before starting it.</source>
            <translation>Elija un guion para este círculo antes de iniciarlo.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/facilitation/commands.py" />
            <source>Some of the people marked present are not in this circle.</source>
            <translation>Algunas de las personas marcadas como presentes no están en este círculo.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/facilitation/commands.py" />
            <source>This circle has already ended, so it cannot be resumed. Nothing was changed; its summary is in Circles.</source>
            <translation>Este círculo ya terminó, así que no se puede reanudar. No se cambió nada; su resumen está en Círculos.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/facilitation/commands.py" />
            <source>This circle has not been started.</source>
            <translation>Este círculo no se ha iniciado.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/facilitation/commands.py" />
            <source>Unknown way of passing the piece: {mode}.</source>
            <translation>Forma desconocida de pasar la pieza para hablar: {mode}.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/facilitation/commands.py" />
            <source>The note is empty.</source>
            <translation>La nota está vacía.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/facilitation/commands.py" />
            <source>The note is too long; split it into several notes.</source>
            <translation>La nota es demasiado larga; divídala en varias notas.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/facilitation/commands.py" />
            <source>Unknown privacy level: {privacy}.</source>
            <translation>Nivel de privacidad desconocido: {privacy}.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/facilitation/commands.py" />
            <source>The circle can be ended once the server is back: ending it writes its summary there. Everything done so far is saved on this laptop.</source>
            <translation>El círculo se podrá terminar cuando vuelva el servidor: al terminarlo se guarda allí su resumen. Todo lo hecho hasta ahora está guardado en esta computadora.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/facilitation/commands.py" />
            <source>This circle is not running, so it cannot be ended.</source>
            <translation>Este círculo no está en curso, así que no se puede terminar.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/facilitation/commands.py" />
            <source>This circle is {status}, not running; start or resume it first.</source>
            <translation>Este círculo está {status}, no en curso; primero inícielo o reanúdelo.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/facilitation/journal.py" />
            <source>There is no journal at {path}.</source>
            <translation>No hay ningún registro de acciones en {path}.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/facilitation/journal.py" />
            <source>The journal {path} is protected with a passphrase; it is kept unchanged. Open circlekeeper with the passphrase to send it.</source>
            <translation>El registro de acciones {path} está protegido con una frase de contraseña; se conserva sin cambios. Abra circlekeeper con la frase de contraseña para enviarlo.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/facilitation/journal.py" />
            <source>The journal {path} on this laptop cannot be used ({exc}). Nothing in it was changed.</source>
            <translation>No se puede usar el registro de acciones {path} de esta computadora ({exc}). No se cambió nada de su contenido.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/facilitation/journal.py" />
            <source>Saving on this laptop</source>
            <translation>Guardar en esta computadora</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/facilitation/journal.py" />
            <source>The last action could not be saved on this laptop either ({exc}); the journal {path} keeps everything before it. Do not close circlekeeper; ask IT staff.</source>
            <translation>La última acción tampoco se pudo guardar en esta computadora ({exc}); el registro de acciones {path} conserva todo lo anterior. No cierre circlekeeper; consulte al personal de informática.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/facilitation/offline.py" />
            <source>{n} saved actions on this laptop were damaged and could not be sent; the rest were sent. The journal was kept at {path} for IT staff.</source>
            <translation>{n} acciones guardadas en esta computadora estaban dañadas y no se pudieron enviar; las demás sí se enviaron. El registro de acciones se conservó en {path} para el personal de informática.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/facilitation/offline.py" />
            <source>The actions saved on this laptop in {path} belong to another database or circle, so they were not sent here. Nothing was changed; the file is kept. Open the database it was written for (ask IT staff if unsure).</source>
            <translation>Las acciones guardadas en esta computadora en {path} pertenecen a otra base de datos o a otro círculo, así que no se enviaron aquí. No se cambió nada; el archivo se conserva. Abra la base de datos para la que se escribieron (consulte al personal de informática si tiene dudas).</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/facilitation/offline.py" />
            <source>{n} actions of a circle saved on this laptop were sent to the server.</source>
            <translation>Se enviaron al servidor {n} acciones de un círculo guardadas en esta computadora.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/facilitation/queries.py" />
            <source>The saved position in this circle cannot be read ({exc}). Notes and turns already recorded are safe.</source>
            <translation>No se puede leer el punto guardado de este círculo ({exc}). Las notas y los turnos ya registrados están a salvo.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/facilitation/stored.py" />
            <source>The person supported is not in this circle.</source>
            <translation>La persona a quien se apoya no está en este círculo.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/facilitation/stored.py" />
            <source>Notes are added while the circle is running.</source>
            <translation>Las notas se agregan mientras el círculo está en curso.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/followups/commands.py" />
            <source>There is no person with id {responsible_id} in this database.</source>
            <translation>En esta base de datos no hay ninguna persona con el id {responsible_id}.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/followups/commands.py" />
            <source>{first_name} {last_name} is a student; a follow-up needs a responsible adult (staff, an SRO, a guardian or a community member).</source>
            <translation>{first_name} {last_name} es estudiante; un seguimiento necesita un adulto responsable (personal de la escuela, un SRO, un tutor/a o un miembro de la comunidad).</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/followups/commands.py" />
            <source>That agreement item no longer exists.</source>
            <translation>Ese punto del acuerdo ya no existe.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/followups/commands.py" />
            <source>That agreement item belongs to a different agreement.</source>
            <translation>Ese punto pertenece a otro acuerdo.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/followups/commands.py" />
            <source>That agreement no longer exists.</source>
            <translation>Ese acuerdo ya no existe.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/followups/commands.py" />
            <source>The follow-up date {due_on} is before the agreement was made ({agreed_on}). Choose a date on or after it.</source>
            <translation>La fecha de seguimiento {due_on} es anterior a la fecha del acuerdo ({agreed_on}). Elija esa fecha o una posterior.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/followups/commands.py" />
            <source>That circle no longer exists.</source>
            <translation>Ese círculo ya no existe.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/followups/commands.py" />
            <source>A follow-up belongs to a case, a circle or an agreement; pick one.</source>
            <translation>Un seguimiento pertenece a un caso, a un círculo o a un acuerdo; elija uno.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/followups/commands.py" />
            <source>Follow-up weeks must be whole numbers of weeks after the circle.</source>
            <translation>Las semanas de seguimiento deben ser números enteros de semanas después del círculo.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/followups/commands.py" />
            <source>This circle has no date yet; schedule it before planning follow-ups.</source>
            <translation>Este círculo todavía no tiene fecha; prográmelo antes de planificar los seguimientos.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/followups/commands.py" />
            <source>Nobody is named to check item {position}; choose a responsible adult for the follow-ups.</source>
            <translation>No hay nadie asignado para revisar el punto {position}; elija un adulto responsable de los seguimientos.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/followups/commands.py" />
            <source>Nobody is named to follow up the agreement; choose a responsible adult.</source>
            <translation>No hay nadie asignado para dar seguimiento al acuerdo; elija un adulto responsable.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/followups/commands.py" />
            <source>The meeting time needs a time zone; it cannot be guessed.</source>
            <translation>La hora de la reunión necesita una zona horaria; no se puede adivinar.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/followups/commands.py" />
            <source>The meeting needs a length in minutes.</source>
            <translation>La reunión necesita una duración en minutos.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/followups/commands.py" />
            <source>A completion meeting is held for an agreement in force; this one is {status}.</source>
            <translation>Una reunión de cierre se hace para un acuerdo vigente; este está {status}.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/followups/commands.py" />
            <source>The meeting date {meeting_day} is before the agreement was made ({agreed_on}).</source>
            <translation>La fecha de la reunión ({meeting_day}) es anterior a la fecha del acuerdo ({agreed_on}).</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/followups/commands.py" />
            <source>A follow-up's outcome is either done or missed.</source>
            <translation>El resultado de un seguimiento es hecho o no realizado.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/followups/commands.py" />
            <source>Say briefly why the follow-up was missed, and what happens next.</source>
            <translation>Explique brevemente por qué no se realizó el seguimiento y qué sigue ahora.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/followups/commands.py" />
            <source>This follow-up</source>
            <translation>Este seguimiento</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/followups/commands.py" />
            <source>Say why the follow-up is cancelled.</source>
            <translation>Indique por qué se cancela el seguimiento.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/followups/commands.py" />
            <source>This follow-up is already {status}.</source>
            <translation>Este seguimiento ya está {status}.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/followups/commands.py" />
            <source>This follow-up is already open.</source>
            <translation>Este seguimiento ya está abierto.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/followups/lapsed.py" />
            <source>Choose at least one follow-up to close as lapsed.</source>
            <translation>Elija al menos un seguimiento para cerrarlo como caducado.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/followups/queries.py" />
            <source>That follow-up no longer exists.</source>
            <translation>Ese seguimiento ya no existe.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/i18n.py" />
            <source>January</source>
            <translation>enero</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/i18n.py" />
            <source>February</source>
            <translation>febrero</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/i18n.py" />
            <source>March</source>
            <translation>marzo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/i18n.py" />
            <source>April</source>
            <translation>abril</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/i18n.py" />
            <source>May</source>
            <translation>mayo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/i18n.py" />
            <source>June</source>
            <translation>junio</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/i18n.py" />
            <source>July</source>
            <translation>julio</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/i18n.py" />
            <source>August</source>
            <translation>agosto</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/i18n.py" />
            <source>September</source>
            <translation>septiembre</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/i18n.py" />
            <source>October</source>
            <translation>octubre</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/i18n.py" />
            <source>November</source>
            <translation>noviembre</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/i18n.py" />
            <source>December</source>
            <translation>diciembre</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/i18n.py" />
            <source>{month} {day}, {year}</source>
            <translation>{day} de {month} de {year}</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/i18n.py" />
            <source>There is no language called “{typed}”. The choices are {choices}, or system (the computer's own language). Nothing was changed.</source>
            <translation>No existe el idioma «{typed}». Puede elegir {choices} o system (el idioma del equipo). No se cambió nada.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/merge/plan.py" />
            <source>student ID {id}</source>
            <translation>ID de estudiante {id}</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/merge/plan.py" />
            <source>district ID {id}</source>
            <translation>ID del distrito {id}</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/merge/plan.py" />
            <source>Unknown choice for records edited on both sides: {keep}. Choose one of: {choices}.</source>
            <translation>Opción desconocida para los registros editados en los dos lados: {keep}. Elija una de estas: {choices}.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/merge/report.py" />
            <source>person</source>
            <translation>persona</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/merge/report.py" />
            <source>people</source>
            <translation>personas</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/merge/report.py" />
            <source>guardian link</source>
            <translation>vínculo con un tutor</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/merge/report.py" />
            <source>guardian links</source>
            <translation>vínculos con tutores</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/merge/report.py" />
            <source>incident type</source>
            <translation>tipo de incidente</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/merge/report.py" />
            <source>incident types</source>
            <translation>tipos de incidente</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/merge/report.py" />
            <source>case</source>
            <translation>caso</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/merge/report.py" />
            <source>cases</source>
            <translation>casos</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/merge/report.py" />
            <source>person in a case</source>
            <translation>persona en un caso</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/merge/report.py" />
            <source>people in cases</source>
            <translation>personas en casos</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/merge/report.py" />
            <source>family contact</source>
            <translation>contacto con la familia</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/merge/report.py" />
            <source>family contacts</source>
            <translation>contactos con familias</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/merge/report.py" />
            <source>circle or conference</source>
            <translation>círculo o conferencia</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/merge/report.py" />
            <source>circles and conferences</source>
            <translation>círculos y conferencias</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/merge/report.py" />
            <source>participant</source>
            <translation>participante</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/merge/report.py" />
            <source>participants</source>
            <translation>participantes</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/merge/report.py" />
            <source>stage record</source>
            <translation>registro de etapa</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/merge/report.py" />
            <source>stage records</source>
            <translation>registros de etapas</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/merge/report.py" />
            <source>turn</source>
            <translation>turno</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/merge/report.py" />
            <source>turns</source>
            <translation>turnos</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/merge/report.py" />
            <source>note</source>
            <translation>nota</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/merge/report.py" />
            <source>notes</source>
            <translation>notas</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/merge/report.py" />
            <source>agreement</source>
            <translation>acuerdo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/merge/report.py" />
            <source>agreements</source>
            <translation>acuerdos</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/merge/report.py" />
            <source>agreement item</source>
            <translation>compromiso de un acuerdo</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/merge/report.py" />
            <source>agreement items</source>
            <translation>compromisos de acuerdos</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/merge/report.py" />
            <source>signature</source>
            <translation>firma</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/merge/report.py" />
            <source>signatures</source>
            <translation>firmas</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/merge/report.py" />
            <source>follow-up</source>
            <translation>seguimiento</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/merge/report.py" />
            <source>follow-ups</source>
            <translation>seguimientos</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/merge/report.py" />
            <source>fidelity checklist</source>
            <translation>lista de fidelidad</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/merge/report.py" />
            <source>fidelity checklists</source>
            <translation>listas de fidelidad</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/merge/report.py" />
            <source>survey round</source>
            <translation>ronda de encuestas</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/merge/report.py" />
            <source>survey rounds</source>
            <translation>rondas de encuestas</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/merge/report.py" />
            <source>survey answer</source>
            <translation>respuesta de encuesta</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/merge/report.py" />
            <source>survey answers</source>
            <translation>respuestas de encuestas</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/merge/report.py" />
            <source>SRO activity</source>
            <translation>actividad del SRO</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/merge/report.py" />
            <source>SRO activities</source>
            <translation>actividades del SRO</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/merge/report.py" />
            <source>training record</source>
            <translation>registro de capacitación</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/merge/report.py" />
            <source>training records</source>
            <translation>registros de capacitación</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/merge/report.py" />
            <source>hand-off</source>
            <translation>derivación</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/merge/report.py" />
            <source>hand-offs</source>
            <translation>derivaciones</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/merge/report.py" />
            <source>disclosure</source>
            <translation>divulgación</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/merge/report.py" />
            <source>disclosures</source>
            <translation>divulgaciones</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/merge/report.py" />
            <source>Rule for conflicts: a record edited on both laptops since the last merge keeps the newer change; the other values are kept in the audit trail (free text is only noted as changed).</source>
            <translation>Regla para los conflictos: si un registro se editó en las dos computadoras desde la última combinación, se queda el cambio más reciente; los otros valores se guardan en el registro de auditoría (del texto libre solo se anota que cambió).</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/merge/report.py" />
            <source>Rule for conflicts (chosen for this merge): a record edited on both laptops since the last merge keeps this database's change; the other laptop's values are kept in the audit trail (free text is only noted as changed).</source>
            <translation>Regla para los conflictos (elegida para esta combinación): si un registro se editó en las dos computadoras desde la última combinación, se queda el cambio de esta base de datos; los valores de la otra computadora se guardan en el registro de auditoría (del texto libre solo se anota que cambió).</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/merge/report.py" />
            <source>Rule for conflicts (chosen for this merge): a record edited on both laptops since the last merge takes the other laptop's change; this database's values are kept in the audit trail (free text is only noted as changed).</source>
            <translation>Regla para los conflictos (elegida para esta combinación): si un registro se editó en las dos computadoras desde la última combinación, se toma el cambio de la otra computadora; los valores de esta base de datos se guardan en el registro de auditoría (del texto libre solo se anota que cambió).</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/merge/report.py" />
            <source>Added: {kinds}.</source>
            <translation>Se añaden: {kinds}.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/merge/report.py" />
            <source>Updated: {kinds}.</source>
            <translation>Se actualizan: {kinds}.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/merge/report.py" />
            <source>Audit trail lines brought along: {count}.</source>
            <translation>Líneas del registro de auditoría que se traen: {count}.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/merge/report.py" />
            <source>The same person with another record on that laptop, matched by district ID ({count}); their records now point to this database's record:</source>
            <translation>La misma persona con otro registro en esa computadora, reconocida por su ID del distrito ({count}); sus registros ahora apuntan al registro de esta base de datos:</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/merge/report.py" />
            <source>Edited on both sides since the last merge ({count}):</source>
            <translation>Editados en los dos lados desde la última combinación ({count}):</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/merge/report.py" />
            <source>the other laptop's change wins, as chosen</source>
            <translation>se queda el cambio de la otra computadora, como se eligió</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/merge/report.py" />
            <source>this database's change stays, as chosen</source>
            <translation>se queda el cambio de esta base de datos, como se eligió</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/merge/report.py" />
            <source>the other laptop's change is newer: it wins</source>
            <translation>el cambio de la otra computadora es más reciente: se queda ese</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/merge/report.py" />
            <source>this database's change is newer: it stays</source>
            <translation>el cambio de esta base de datos es más reciente: se queda este</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/merge/report.py" />
            <source>Left out because what they belong to is not in that file: {kinds}.</source>
            <translation>Se dejan fuera porque aquello a lo que pertenecen no está en ese archivo: {kinds}.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/merge/report.py" />
            <source>{source} holds nothing {target} does not already have: nothing to merge, nothing was changed.</source>
            <translation>{source} no tiene nada que {target} no tenga ya: no hay nada que combinar y no se cambió nada.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/merge/report.py" />
            <source>Merged {source} into {target}.</source>
            <translation>Se combinó {source} en {target}.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/merge/report.py" />
            <source>Dry run: merging {source} into {target} would make these changes. Nothing was written.</source>
            <translation>Prueba sin cambios: combinar {source} en {target} haría estos cambios. No se escribió nada.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/merge/source.py" />
            <source>The database to merge from must be a laptop's file, not a server. Nothing was changed. Copy the laptop's database file and merge that file.</source>
            <translation>La base de datos que se combina debe ser el archivo de una computadora, no un servidor. No se cambió nada. Copie el archivo de la base de datos de la computadora y combine ese archivo.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/merge/source.py" />
            <source>{path} does not exist, so there is nothing to merge. Nothing was changed. Check the file name.</source>
            <translation>{path} no existe, así que no hay nada que combinar. No se cambió nada. Revise el nombre del archivo.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/merge/source.py" />
            <source>{path} is the database being merged into: a database cannot be merged into itself. Nothing was changed. Choose the other laptop's file.</source>
            <translation>{path} es la base de datos en la que se combina: una base de datos no se puede combinar consigo misma. No se cambió nada. Elija el archivo de la otra computadora.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/merge/source.py" />
            <source>{path} was made by a newer version of circlekeeper (schema {revision}), so this version cannot merge it safely. Nothing was changed. Install the newer circlekeeper here first.</source>
            <translation>{path} se creó con una versión más nueva de circlekeeper (esquema {revision}), así que esta versión no puede combinarla de forma segura. No se cambió nada. Instale primero aquí la versión más nueva de circlekeeper.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/merge/source.py" />
            <source>{path} was made by an older circlekeeper. Nothing was changed. Open it once with this version on its laptop (or run 'circlekeeper db upgrade --database {path}'), then merge it.</source>
            <translation>{path} se creó con una versión anterior de circlekeeper. No se cambió nada. Ábrala una vez con esta versión en su computadora (o ejecute 'circlekeeper db upgrade --database {path}') y luego combínela.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/merge/source.py" />
            <source>{path} holds no circlekeeper records, so there is nothing to merge. Nothing was changed.</source>
            <translation>{path} no tiene registros de circlekeeper, así que no hay nada que combinar. No se cambió nada.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/merge/source.py" />
            <source>{path} is damaged ({what}), so it was not merged. Nothing was changed. Merge the laptop's newest good backup instead.</source>
            <translation>{path} está dañada ({what}), así que no se combinó. No se cambió nada. Combine en su lugar la copia de seguridad buena más reciente de esa computadora.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/operations/context.py" />
            <source>What you asked for could not be read because the database refused it. Nothing was changed. Try again; if it happens again, restart circlekeeper and look at the log (Settings, About).</source>
            <translation>No se pudo leer lo que pidió porque la base de datos lo rechazó. No se cambió nada. Inténtelo de nuevo; si vuelve a pasar, reinicie circlekeeper y revise el registro (Configuración, Acerca de).</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/operations/context.py" />
            <source>The last change could not be saved because the database refused it. Everything saved before it is safe. Try again; if it happens again, restart circlekeeper and look at the log (Settings, About).</source>
            <translation>No se pudo guardar el último cambio porque la base de datos lo rechazó. Todo lo que se guardó antes está a salvo. Inténtelo de nuevo; si vuelve a pasar, reinicie circlekeeper y revise el registro (Configuración, Acerca de).</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/operations/context.py" />
            <source>Someone else saved a change to this record at the same moment, so yours was refused: nothing you entered was saved, and nothing of theirs was overwritten. Load it again to see their change, then make yours again.</source>
            <translation>Otra persona guardó un cambio en este registro en el mismo momento, así que el suyo no se guardó: no se guardó nada de lo que usted escribió y no se sobrescribió nada de lo que guardó la otra persona. Vuelva a cargarlo para ver ese cambio y luego haga el suyo de nuevo.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/people/people.py" />
            <source>First name is required.</source>
            <translation>El nombre es obligatorio.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/people/people.py" />
            <source>Last name is required.</source>
            <translation>El apellido es obligatorio.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/people/people.py" />
            <source>Unknown kind of person: {kind}.</source>
            <translation>Tipo de persona desconocido: {kind}.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/people/people.py" />
            <source>Grade {grade} is not a school grade (use PK, TK, K or 1 to 12).</source>
            <translation>{grade} no es un grado escolar (use PK, TK, K o del 1 al 12).</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/people/people.py" />
            <source>{name} is too long.</source>
            <translation>{name} es demasiado largo.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/people/people.py" />
            <source>This person's record</source>
            <translation>El registro de esta persona</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/people/people.py" />
            <source>A person cannot be their own guardian.</source>
            <translation>Una persona no puede ser su propio tutor/a.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/people/people.py" />
            <source>{first_name} {last_name} is already linked as a guardian.</source>
            <translation>{first_name} {last_name} ya está vinculado/a como tutor/a.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/people/people.py" />
            <source>That guardian link no longer exists.</source>
            <translation>Ese vínculo con el tutor/a ya no existe.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/people/people.py" />
            <source>Student/staff ID {external_id} already belongs to {first_name} {last_name}.</source>
            <translation>El ID de estudiante o de personal {external_id} ya pertenece a {first_name} {last_name}.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/profiles/pin_attempts.py" />
            <source>Too many wrong PINs for {name}. Wait {seconds} second{plural}, then try again. Nothing was changed.</source>
            <translation>Demasiados PIN incorrectos para {name}. Espere {seconds} segundo{plural} y vuelva a intentarlo. No se cambió nada.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/profiles/profiles.py" />
            <source>Give the profile a name.</source>
            <translation>Póngale un nombre al perfil.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/profiles/profiles.py" />
            <source>That name is too long.</source>
            <translation>Ese nombre es demasiado largo.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/profiles/profiles.py" />
            <source>A PIN is {pin_min_digits} to {pin_max_digits} digits, with no letters or spaces.</source>
            <translation>Un PIN tiene de {pin_min_digits} a {pin_max_digits} dígitos, sin letras ni espacios.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/profiles/profiles.py" />
            <source>Only a counselor's or an administrator's PIN can approve changes to the profiles. Nothing was changed.</source>
            <translation>Solo el PIN de un consejero o de un administrador puede aprobar cambios en los perfiles. No se cambió nada.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/profiles/profiles.py" />
            <source>That is not {name}'s PIN. Nothing was changed.</source>
            <translation>Ese no es el PIN de {name}. No se cambió nada.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/profiles/profiles.py" />
            <source>There is no profile named {name} in this database. Use the name shown in Settings under "Who uses circlekeeper".</source>
            <translation>En esta base de datos no hay ningún perfil llamado {name}. Use el nombre que aparece en Configuración, en "Quién usa circlekeeper".</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/profiles/profiles.py" />
            <source>That is not {name}'s PIN. Nothing was done.</source>
            <translation>Ese no es el PIN de {name}. No se hizo nada.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/profiles/profiles.py" />
            <source>Changing the profiles needs the PIN of a counselor or an administrator. Nothing was changed. Ask one of them to give their PIN.</source>
            <translation>Para cambiar los perfiles hace falta el PIN de un consejero o de un administrador. No se cambió nada. Pídale a uno de ellos que ingrese su PIN.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/profiles/profiles.py" />
            <source>Add a counselor or administrator profile with a PIN before a school resource officer's profile: changes to the profiles are approved with that PIN. Nothing was changed.</source>
            <translation>Agregue un perfil de consejero o de administrador con PIN antes de un perfil de oficial de recursos escolares (SRO): los cambios en los perfiles se aprueban con ese PIN. No se cambió nada.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/profiles/profiles.py" />
            <source>While a school resource officer has a profile, every counselor and administrator profile needs a PIN, so nobody can use a profile that sees more. Give {who} a PIN of {pin_min_digits} to {pin_max_digits} digits first. Nothing was changed.</source>
            <translation>Mientras un oficial de recursos escolares (SRO) tenga perfil, todos los perfiles de consejeros y administradores necesitan un PIN, para que nadie pueda usar un perfil que ve más información. Primero asígnele a {who} un PIN de {pin_min_digits} a {pin_max_digits} dígitos. No se cambió nada.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/profiles/profiles.py" />
            <source>There is no profile with id {profile_id} in this database.</source>
            <translation>En esta base de datos no hay ningún perfil con el id {profile_id}.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/profiles/profiles.py" />
            <source>There is already a profile named {name}.</source>
            <translation>Ya existe un perfil llamado {name}.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/profiles/viewer.py" />
            <source>Only a counselor or an administrator can set how long records are kept or remove old records; a school resource officer's profile cannot. Nothing was changed. Ask a counselor or an administrator to do it.</source>
            <translation>Solo un consejero o un administrador puede fijar cuánto tiempo se guardan los registros o eliminar registros antiguos; el perfil de un oficial de recursos escolares (SRO) no puede. No se cambió nada. Pídaselo a un consejero o a un administrador.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/profiles/viewer.py" />
            <source>Only a counselor or an administrator can close follow-ups as lapsed; a school resource officer's profile cannot. Nothing was changed.</source>
            <translation>Solo un consejero o un administrador puede cerrar seguimientos como caducados; el perfil de un agente de recursos escolares no puede. No se cambió nada.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/profiles/viewer.py" />
            <source>A letter to a family comes from the counseling office; a school resource officer's profile cannot write one. Nothing was written. Ask a counselor.</source>
            <translation>Una carta a la familia la envía la oficina de consejería; un perfil de oficial de recursos escolares (SRO) no puede escribirla. No se escribió nada. Pídaselo a un/a consejero/a.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/profiles/viewer.py" />
            <source>A consent form goes to a family from the counseling office; a school resource officer's profile cannot print one. Nothing was written. Ask a counselor.</source>
            <translation>Un formulario de consentimiento lo envía a la familia la oficina de consejería; el perfil de un oficial de recursos escolares no puede imprimirlo. No se escribió nada. Pídaselo a un consejero o una consejera.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/profiles/viewer.py" />
            <source>Only a counselor or an administrator can merge another laptop's records; a school resource officer's profile cannot. Nothing was changed. Ask a counselor or an administrator to do it.</source>
            <translation>Solo un consejero o un administrador puede combinar los registros de otra computadora; el perfil de un oficial de recursos escolares (SRO) no puede. No se cambió nada. Pídale a un consejero o a un administrador que lo haga.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/profiles/viewer.py" />
            <source>A school resource officer's profile can export only the copy for sharing (no private notes, no demographic fields, marked as an education record). Nothing was written. Choose the copy for sharing (--sharing on the command line), or ask a counselor for the school's copy.</source>
            <translation>El perfil de un oficial de recursos escolares (SRO) solo puede exportar la copia para compartir (sin notas privadas ni datos demográficos, marcada como expediente educativo). No se guardó nada. Elija la copia para compartir (--sharing en la línea de comandos) o pídale a un consejero la copia de la escuela.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/reports/engine.py" />
            <source>There is no report called {name}. The reports are: {value}.</source>
            <translation>No existe el informe {name}. Los informes son: {value}.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/reports/engine.py" />
            <source>There is no school called {school} in this database. Schools it knows: {known}.</source>
            <translation>No hay ninguna escuela llamada {school} en esta base de datos. Las escuelas que conoce: {known}.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/reports/engine.py" />
            <source>The period starts ({value}) after it ends ({value2}). Give a start date on or before the end date.</source>
            <translation>El periodo empieza ({value}) después de terminar ({value2}). Indique una fecha de inicio igual o anterior a la de fin.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/reports/engine.py" />
            <source>The smallest figure shown must be at least 1 (it was {min_cell}). The usual choice is {default_min_cell}.</source>
            <translation>La cifra más pequeña que se muestra debe ser al menos 1 (era {min_cell}). Lo habitual es {default_min_cell}.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/reports/engine.py" />
            <source>The {name} report has no row per school. These reports do: {value}.</source>
            <translation>El informe {name} no tiene una fila por escuela. Estos informes sí la tienen: {value}.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/reports/engine.py" />
            <source>A row per school covers the whole district: choose all schools (leave out the school) to see it.</source>
            <translation>Una fila por escuela abarca todo el distrito: elija todas las escuelas (sin indicar una escuela) para verla.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/reports/engine.py" />
            <source>The internal view with nothing hidden is only for counselor and administrator profiles. The published view (small numbers hidden) is available to everyone.</source>
            <translation>La vista interna, sin nada oculto, es solo para los perfiles de consejería y administración. La vista publicada (con las cifras pequeñas ocultas) está disponible para todas las personas.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/retention/backups.py" />
            <source>{path} was not made by this version of circlekeeper.</source>
            <translation>{path} no fue creado por esta versión de circlekeeper.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/retention/backups.py" />
            <source>{path} was not made by this version of circlekeeper, so it was not rewritten.</source>
            <translation>{path} no fue creado por esta versión de circlekeeper, así que no se reescribió.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/retention/backups.py" />
            <source>Choose keep, prune or rewrite for the backups.</source>
            <translation>Elija conservar, depurar o reescribir para las copias de seguridad.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/retention/retention.py" />
            <source>Keep records for at least one year.</source>
            <translation>Guarde los registros por lo menos un año.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/retention/retention.py" />
            <source>Choose whether to purge or to anonymise the old records.</source>
            <translation>Elija si desea eliminar o anonimizar los registros antiguos.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/roster/commands.py" />
            <source>Only a counselor or an administrator can archive the students a roster no longer lists; a school resource officer's profile cannot. Nothing was imported. Import without archiving, or ask a counselor or an administrator.</source>
            <translation>Solo un consejero o un administrador puede archivar a los estudiantes que ya no figuran en la lista; el perfil de un oficial de recursos escolares (SRO) no puede. No se importó nada. Importe sin archivar, o pídaselo a un consejero o a un administrador.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/roster/commands.py" />
            <source>{name} has no rows that can be imported.</source>
            <translation>{name} no tiene filas que se puedan importar.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/roster/presets.py" />
            <source>The column choices saved for {saved_for} files name the column {column_text}, which this file does not have, so nothing was read. Its columns are: {found}. Choose the columns again (or forget the saved choices) and read the file again.</source>
            <translation>Las columnas guardadas para los archivos de {saved_for} indican la columna {column_text}, que este archivo no tiene, así que no se leyó nada. Sus columnas son: {found}. Vuelva a elegir las columnas (u olvide las elecciones guardadas) y lea el archivo de nuevo.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/roster/presets.py" />
            <source>There is no column {column_text} in the file, so nothing was read. Its columns are: {found}.</source>
            <translation>El archivo no tiene ninguna columna {column_text}, así que no se leyó nada. Sus columnas son: {found}.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/roster/presets.py" />
            <source>{field_text} is not a field a roster can fill, so nothing was read. The fields are: {fields}.</source>
            <translation>{field_text} no es un campo que una lista de estudiantes pueda llenar, así que no se leyó nada. Los campos son: {fields}.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/roster/presets.py" />
            <source>The columns {picked} and {column} are both chosen for the {field}, so nothing was read. Choose one column for each field.</source>
            <translation>Las columnas {picked} y {column} están elegidas para el mismo campo ({field}), así que no se leyó nada. Elija una sola columna para cada campo.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/roster/reading.py" />
            <source>{name} has no column for the {missing}. Columns found: {found}. Choose which column holds it (in the import window, or with --map COLUMN=FIELD) or rename the column in the file, and read it again.</source>
            <translation>{name} no tiene columna para: {missing}. Columnas encontradas: {found}. Elija qué columna tiene ese dato (en la ventana de importación, o con --map COLUMNA=CAMPO) o cambie el nombre de la columna en el archivo, y vuelva a leerlo.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/roster/reading.py" />
            <source>student ID {external_id} is also on line {first}; each person must be on one line only.</source>
            <translation>el ID de estudiante {external_id} también está en la línea {first}; cada persona debe estar en una sola línea.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/roster/reading.py" />
            <source>it has {values_count} values but the header has {columns_count} columns; check for a separator inside a value that is not in quotes.</source>
            <translation>tiene {values_count} valores, pero el encabezado tiene {columns_count} columnas; revise si hay un separador dentro de un valor que no está entre comillas.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/roster/reading.py" />
            <source>the name {full_name} needs both a first and a family name ('Lopez, Maria' or 'Maria Lopez').</source>
            <translation>el nombre {full_name} necesita nombre y apellido ('Lopez, Maria' o 'Maria Lopez').</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/roster/reading.py" />
            <source>the {label} is empty (column {column}).</source>
            <translation>el campo {label} está vacío (columna {column}).</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/roster/reading.py" />
            <source>the {field} is {value_count} characters long; at most {limit} fit.</source>
            <translation>el campo {field} tiene {value_count} caracteres; caben como máximo {limit}.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/roster/reading.py" />
            <source>grade {grade} is not a school grade (use PK, TK, K or 1 to 12).</source>
            <translation>el grado {grade} no es un grado escolar (use PK, TK, K o del 1 al 12).</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/roster/reading.py" />
            <source>birth date {birth_date} is not a date this roster can read; write it as 2010-03-04 or 03/04/2010 (month/day/year).</source>
            <translation>la fecha de nacimiento {birth_date} no es una fecha que esta lista pueda leer; escríbala como 2010-03-04 o 03/04/2010 (mes/día/año).</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/roster/reading.py" />
            <source>birth date {birth_date} is not a possible birth date.</source>
            <translation>la fecha de nacimiento {birth_date} no es una fecha de nacimiento posible.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/roster/reading.py" />
            <source>kind {kind} is not one of: student, staff, guardian, sro, community.</source>
            <translation>el tipo {kind} no es ninguno de estos: student, staff, guardian, sro, community.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/roster/reading.py" />
            <source>{field} {raw} should be yes or no.</source>
            <translation>{field}: {raw} debe ser sí o no.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/roster/reading.py" />
            <source>guardian name {guardian_name} needs both a first and a family name ('Maria Lopez' or 'Lopez, Maria').</source>
            <translation>el nombre del tutor/a {guardian_name} necesita nombre y apellido ('Maria Lopez' o 'Lopez, Maria').</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/roster/reading.py" />
            <source>the guardian needs both a first and a family name; one of the two columns is empty.</source>
            <translation>el tutor/a necesita nombre y apellido; una de las dos columnas está vacía.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/roster/sources.py" />
            <source>{path} is a folder; choose the roster file itself.</source>
            <translation>{path} es una carpeta; elija el archivo de la lista de estudiantes.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/roster/sources.py" />
            <source>{path} does not exist. Check the file name and folder.</source>
            <translation>{path} no existe. Revise el nombre del archivo y la carpeta.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/roster/sources.py" />
            <source>{path} could not be read ({strerror}).</source>
            <translation>No se pudo leer {path} ({strerror}).</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/roster/sources.py" />
            <source>{name} is empty. Export the roster again from the student information system, with a header line and one line per person.</source>
            <translation>{name} está vacío. Vuelva a exportar la lista desde el sistema de información estudiantil, con una línea de encabezado y una línea por persona.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/roster/sources.py" />
            <source>{name} does not look like a CSV file (it holds unreadable characters). Export the roster from the student information system as CSV.</source>
            <translation>{name} no parece un archivo CSV (tiene caracteres ilegibles). Exporte la lista desde el sistema de información estudiantil en formato CSV.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/roster/sources.py" />
            <source>{name} has no header line.</source>
            <translation>{name} no tiene línea de encabezado.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/roster/sources.py" />
            <source>{name} line 1 could not be read as CSV ({exc}).</source>
            <translation>No se pudo leer la línea 1 de {name} como CSV ({exc}).</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/roster/sources.py" />
            <source>{name} looks like a zipped file but not an Excel workbook (.xlsx) that can be read. In the program that made it, save it as .xlsx or CSV and import that.</source>
            <translation>{name} parece un archivo comprimido, pero no un libro de Excel (.xlsx) que se pueda leer. En el programa con que se hizo, guárdelo como .xlsx o CSV e importe ese archivo.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/roster/sources.py" />
            <source>{name} has no sheet with data in it.</source>
            <translation>{name} no tiene ninguna hoja con datos.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/roster/sources.py" />
            <source>{name} has several sheets with data ({names}), so nothing was read. Choose the sheet that holds the roster.</source>
            <translation>{name} tiene varias hojas con datos ({names}), así que no se leyó nada. Elija la hoja que contiene la lista de estudiantes.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/roster/sources.py" />
            <source>{name} has no sheet named {sheet}. Its sheets: {names}.</source>
            <translation>{name} no tiene ninguna hoja llamada {sheet}. Sus hojas son: {names}.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/roster/sources.py" />
            <source>{name} looks like {what}, not a CSV file. In the program that made it, save or export it as CSV (comma-separated values) or .xlsx and import that file.</source>
            <translation>{name} parece {what}, no un archivo CSV. En el programa con que se hizo, guárdelo o expórtelo como CSV (valores separados por comas) o .xlsx e importe ese archivo.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/roster/sources.py" />
            <source>{name} is not a text file, so it cannot be a CSV roster. Export the roster from the student information system as CSV.</source>
            <translation>{name} no es un archivo de texto, así que no puede ser una lista en CSV. Exporte la lista desde el sistema de información estudiantil en formato CSV.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/roster/year_end.py" />
            <source>Only a counselor or an administrator can close the school year (moving students up a grade and archiving those who leave); a school resource officer's profile cannot. Nothing was changed.</source>
            <translation>Solo un consejero o un administrador puede cerrar el año escolar (pasar a los estudiantes al grado siguiente y archivar a quienes se van); el perfil de un oficial de recursos escolares (SRO) no puede. No se cambió nada.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/roster/year_end.py" />
            <source>The school year was already closed on {closed}; closing it again now would move every student up a second grade. Nothing was changed. If a new school year has really begun, confirm that you mean it.</source>
            <translation>El año escolar ya se cerró el {closed}; cerrarlo otra vez ahora pasaría a cada estudiante un grado más. No se cambió nada. Si de verdad comenzó un año escolar nuevo, confirme que eso es lo que desea.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/scripts/scripts.py" />
            <source>There is no script called {key}.</source>
            <translation>No hay ningún guion llamado {key}.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/scripts/scripts.py" />
            <source>A custom script called {key} already exists; choose another key or replace it.</source>
            <translation>Ya existe un guion personalizado llamado {key}; elija otra clave o reemplácelo.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/scripts/scripts.py" />
            <source>Built-in scripts cannot be deleted; they come with circlekeeper.</source>
            <translation>Los guiones incluidos no se pueden eliminar; vienen con circlekeeper.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/scripts/scripts.py" />
            <source>There is no custom script called {key}.</source>
            <translation>No hay ningún guion personalizado llamado {key}.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/scripts/scripts.py" />
            <source>{path}: the key {key} belongs to a built-in script. Import it under another key (for example {free_key}).</source>
            <translation>{path}: la clave {key} pertenece a un guion incluido. Impórtelo con otra clave (por ejemplo, {free_key}).</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/scripts/scripts.py" />
            <source>{destination} already exists; it was not overwritten.</source>
            <translation>{destination} ya existe; no se sobrescribió.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/scripts/scripts.py" />
            <source>{key} cannot be a script key: use lower-case letters, digits, '-' and '_'.</source>
            <translation>{key} no puede ser la clave de un guion: use letras minúsculas, dígitos, '-' y '_'.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/scripts/scripts.py" />
            <source>{key} is a built-in script and cannot be changed; duplicate it and edit the copy.</source>
            <translation>{key} es un guion incluido y no se puede cambiar; duplíquelo y modifique la copia.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/scripts/scripts.py" />
            <source>{target} already exists; it was not overwritten.</source>
            <translation>{target} ya existe; no se sobrescribió.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/scripts/scripts.py" />
            <source>{target} could not be written ({strerror}); nothing was written there. Choose a folder you can write to.</source>
            <translation>No se pudo guardar {target} ({strerror}); no se escribió nada allí. Elija una carpeta en la que pueda escribir.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/sro/activity.py" />
            <source>There is no activity with id {activity_id} in this database.</source>
            <translation>En esta base de datos no hay ninguna actividad con el id {activity_id}.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/sro/activity.py" />
            <source>Nothing was saved: with these {minutes} minutes, {on_date} would hold {logged} minutes of activities, more than the {minutes_in_a_day} minutes in a day. Check the minutes, or the date.</source>
            <translation>No se guardó nada: con estos {minutes} minutos, el {on_date} tendría {logged} minutos de actividades, más que los {minutes_in_a_day} minutos de un día. Revise los minutos o la fecha.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/sro/activity.py" />
            <source>Nothing was saved: the place is longer than {max_place_length} characters.</source>
            <translation>No se guardó nada: el lugar tiene más de {max_place_length} caracteres.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/sro/activity.py" />
            <source>Nothing was saved: a head count is kept for events (classes, school events, forums, parent nights, student panels, drills). Leave it empty for this activity.</source>
            <translation>No se guardó nada: la cantidad de asistentes se anota solo para eventos (clases, eventos escolares, foros, noches para familias, paneles estudiantiles, simulacros). Déjela vacía para esta actividad.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/sro/activity.py" />
            <source>Nothing was saved: the attendance must be a number from 0 to {max_attendance:,} (it was {attendance}).</source>
            <translation>No se guardó nada: la asistencia debe ser un número de 0 a {max_attendance:,} (se indicó {attendance}).</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/sro/activity.py" />
            <source>Nothing was saved: an event is about many people, so it is not linked to one student. Leave the student out, or choose the activity that was about this student (a mentoring session, a family contact, ...).</source>
            <translation>No se guardó nada: un evento abarca a muchas personas, así que no se vincula a un solo estudiante. Quite al estudiante o elija la actividad que fue sobre este estudiante (una sesión de mentoría, un contacto con la familia, ...).</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/sro/activity.py" />
            <source>Nothing was saved: the person linked to this activity is not a student in this database. Choose the student again.</source>
            <translation>No se guardó nada: la persona vinculada a esta actividad no es estudiante en esta base de datos. Vuelva a elegir al estudiante.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/sro/activity.py" />
            <source>Nothing was saved: an incident type is given only for an incident response, a citation or an arrest.</source>
            <translation>No se guardó nada: el tipo de incidente se indica solo para una respuesta a un incidente, una citación o un arresto.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/sro/activity.py" />
            <source>Nothing was saved: that incident type is not in this school's list. Choose one from the list.</source>
            <translation>No se guardó nada: ese tipo de incidente no está en la lista de esta escuela. Elija uno de la lista.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/sro/activity.py" />
            <source>Nothing was saved: {on} is after today. The log keeps what has happened; enter it on the day or afterwards.</source>
            <translation>No se guardó nada: {on} es posterior a hoy. El registro guarda lo que ya ocurrió; anótelo ese día o después.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/sro/activity.py" />
            <source>Nothing was saved: {on} is too long ago. Check the year.</source>
            <translation>No se guardó nada: {on} es una fecha demasiado lejana. Revise el año.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/sro/activity.py" />
            <source>Nothing was saved: {value} is not an activity type. The types are: {known}.</source>
            <translation>No se guardó nada: {value} no es un tipo de actividad. Los tipos son: {known}.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/sro/activity.py" />
            <source>Nothing was saved: {value} is not one of the three roles ({known}).</source>
            <translation>No se guardó nada: {value} no es ninguno de los tres roles ({known}).</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/sro/activity.py" />
            <source>Nothing was saved: give the minutes as a whole number, like 45.</source>
            <translation>No se guardó nada: indique los minutos con un número entero, como 45.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/sro/activity.py" />
            <source>Nothing was saved: an activity takes at least one minute (it was {value}).</source>
            <translation>No se guardó nada: una actividad dura por lo menos un minuto (se indicó {value}).</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/sro/activity.py" />
            <source>Nothing was saved: {value} minutes is more than a day ({minutes_in_a_day} minutes). Log each day's activity on its own date.</source>
            <translation>No se guardó nada: {value} minutos es más que un día ({minutes_in_a_day} minutos). Registre la actividad de cada día en su propia fecha.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/sro/mou.py" />
            <source>Only what the officer needs to take part safely: the date, the place and who attends. No private notes and no demographic fields; education records shared with the officer stay education records and are not passed on.</source>
            <translation>Solo lo que el/la oficial necesita para participar con seguridad: la fecha, el lugar y quiénes asisten. Sin notas privadas ni datos demográficos; los expedientes educativos que se comparten con el/la oficial siguen siendo expedientes educativos y no se transmiten a nadie más.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/sro/mou.py" />
            <source>weapons</source>
            <translation>armas</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/sro/mou.py" />
            <source>drugs for sale</source>
            <translation>drogas para la venta</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/sro/mou.py" />
            <source>serious injury</source>
            <translation>lesiones graves</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/sro/mou.py" />
            <source>credible threat</source>
            <translation>amenaza creíble</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/sro/mou.py" />
            <source>An incident type is too long (at most 60 characters). Nothing was saved.</source>
            <translation>Un tipo de incidente es demasiado largo (como máximo 60 caracteres). No se guardó nada.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/sro/mou.py" />
            <source>Say in English and in Spanish whether what a student admits in a conference can be used for a citation or charge: it is read at the opening when an officer takes part. Nothing was saved.</source>
            <translation>Indique en inglés y en español si lo que un estudiante admite en una conferencia puede usarse para una citación o un cargo: se lee en la apertura cuando participa un oficial. No se guardó nada.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/sro/mou.py" />
            <source>A statement is too long (at most {max_statement} characters); it must fit on the one-page summary. Nothing was saved.</source>
            <translation>Una declaración es demasiado larga (como máximo {max_statement} caracteres); debe caber en el resumen de una página. No se guardó nada.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/sro/mou.py" />
            <source>The facilitator (person {person_id}) is not in this database.</source>
            <translation>El facilitador (persona {person_id}) no está en esta base de datos.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/sro/rules.py" />
            <source>Nothing was saved: an entry needs the name of whoever logs it. Choose your profile (or enter the facilitator's name in Settings), then try again.</source>
            <translation>No se guardó nada: cada registro necesita el nombre de quien lo anota. Elija su perfil (o escriba el nombre del facilitador en Configuración) y vuelva a intentarlo.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/sro/rules.py" />
            <source>This {what} was logged by someone else, so you cannot change or remove it; nothing was changed. Ask its author or an administrator to correct it.</source>
            <translation>Este registro ({what}) lo anotó otra persona, así que usted no puede cambiarlo ni eliminarlo; no se cambió nada. Pídale a su autor o a un administrador que lo corrija.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/sro/training.py" />
            <source>Nothing was saved: {text} is not a number of hours. Type the hours the {what} took, like 8 or 7.5.</source>
            <translation>No se guardó nada: {text} no es una cantidad de horas. Escriba las horas que tomó ({what}), como 8 o 7.5.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/sro/training.py" />
            <source>Nothing was saved: a {what} needs its hours (more than 0). Type the hours it took, like 8 or 7.5.</source>
            <translation>No se guardó nada: falta indicar las horas ({what}; más de 0). Escriba las horas que tomó, como 8 o 7.5.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/sro/training.py" />
            <source>Nothing was saved: the shortest time counted is a tenth of an hour.</source>
            <translation>No se guardó nada: el tiempo mínimo que se cuenta es una décima de hora.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/sro/training.py" />
            <source>The required training hours are set by a counselor or an administrator; nothing was changed.</source>
            <translation>Las horas de capacitación requeridas las fija un consejero o un administrador; no se cambió nada.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/sro/training.py" />
            <source>Nothing was changed: {tenths:g} hours is more than any programme asks (at most {max_required_hours}). Check the number.</source>
            <translation>No se cambió nada: {tenths:g} horas es más de lo que pide cualquier programa (como máximo {max_required_hours}). Revise el número.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/sro/training.py" />
            <source>An SRO's profile records only its own training; nothing was saved. A counselor or an administrator can record someone else's.</source>
            <translation>El perfil de un SRO solo registra su propia capacitación; no se guardó nada. Un consejero o un administrador puede registrar la de otra persona.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/sro/training.py" />
            <source>Nothing was saved: give the course's name.</source>
            <translation>No se guardó nada: indique el nombre del curso.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/sro/training.py" />
            <source>Nothing was saved: {category} is not a training category. The categories are: {known}.</source>
            <translation>No se guardó nada: {category} no es una categoría de capacitación. Las categorías son: {known}.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/sro/training.py" />
            <source>Nothing was saved: {tenths:g} hours is more than one course takes (at most {max_hours}). Record a long programme course by course.</source>
            <translation>No se guardó nada: {tenths:g} horas es más de lo que dura un curso (como máximo {max_hours}). Registre un programa largo curso por curso.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/sro/training.py" />
            <source>Nothing was saved: {completed_on} is after today. Record a training once it is completed.</source>
            <translation>No se guardó nada: {completed_on} es posterior a hoy. Registre una capacitación una vez terminada.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/sro/training.py" />
            <source>Nothing was saved: that date is too long ago. Check the year.</source>
            <translation>No se guardó nada: esa fecha es demasiado lejana. Revise el año.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/sro/training.py" />
            <source>Nothing was saved: the {label} is longer than {max_text} characters.</source>
            <translation>No se guardó nada: el campo {label} tiene más de {max_text} caracteres.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/sro/training.py" />
            <source>There is no training record with id {record_id}.</source>
            <translation>No hay ningún registro de capacitación con el id {record_id}.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/store/backups.py" />
            <source>{backup} does not exist or is not a file.</source>
            <translation>{backup} no existe o no es un archivo.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/store/backups.py" />
            <source>{backup} cannot be restored: it holds no circlekeeper data this version can use ({value}).</source>
            <translation>No se puede restaurar {backup}: no contiene datos de circlekeeper que esta versión pueda usar ({value}).</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/store/backups.py" />
            <source>{backup} is damaged ({value}); choose another backup.</source>
            <translation>{backup} está dañada ({value}); elija otra copia de seguridad.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/store/backups.py" />
            <source>Could not copy {backup_path} beside {db_path} ({strerror}). Nothing was changed.</source>
            <translation>No se pudo copiar {backup_path} junto a {db_path} ({strerror}). No se cambió nada.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/store/crypto.py" />
            <source>An empty passphrase cannot protect anything; choose one.</source>
            <translation>Una frase de acceso vacía no protege nada; elija una.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/store/crypto.py" />
            <source>{problem} Nothing was changed.</source>
            <translation>{problem} No se cambió nada.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/store/crypto.py" />
            <source>This database is encrypted, but the encryption library (sqlcipher3) is missing. Reinstall circlekeeper.</source>
            <translation>Esta base de datos está cifrada, pero falta la biblioteca de cifrado (sqlcipher3). Vuelva a instalar circlekeeper.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/store/crypto.py" />
            <source>{path} could not be read ({exc}). Nothing was changed.</source>
            <translation>No se pudo leer {path} ({exc}). No se cambió nada.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/store/crypto.py" />
            <source>{destination} already exists; it will not be overwritten.</source>
            <translation>{destination} ya existe; no se sobrescribirá.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/store/crypto.py" />
            <source>{path} is in use by another window or program; close it and try again.</source>
            <translation>{path} está en uso en otra ventana o programa; ciérrelo e inténtelo de nuevo.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/store/crypto.py" />
            <source>The {operation} copy of {path} did not match the original, so it was not used. Nothing was changed.</source>
            <translation>La copia ({operation}) de {path} no coincidía con el original, así que no se usó. No se cambió nada.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/store/database.py" />
            <source>A write-ahead log (-wal) beside {path} does not belong to it ({reason}). It was not applied and nothing was changed. Open the database in circlekeeper (or run 'circlekeeper db check') to set that log aside.</source>
            <translation>Un registro de escritura anticipada (-wal) junto a {path} no le pertenece ({reason}). No se aplicó y no se cambió nada. Abra la base de datos en circlekeeper (o ejecute «circlekeeper db check») para apartar ese registro.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/store/database.py" />
            <source>{path} is a folder, not a database file.</source>
            <translation>{path} es una carpeta, no un archivo de base de datos.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/store/database.py" />
            <source>{path} is a damaged database: its first bytes (the header) have been overwritten. Nothing was changed. Restore it from a backup.</source>
            <translation>{path} es una base de datos dañada: sus primeros bytes (el encabezado) se sobrescribieron. No se cambió nada. Restáurela desde una copia de seguridad.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/store/database.py" />
            <source>{path} is not a readable database: it may be an encrypted database that was cut short, or another kind of file. Nothing was changed. Restore it from a backup.</source>
            <translation>{path} no es una base de datos legible: puede ser una base de datos cifrada que quedó incompleta, u otro tipo de archivo. No se cambió nada. Restáurela desde una copia de seguridad.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/store/database.py" />
            <source>{path} is not a circlekeeper database (it is not an SQLite file at all). Nothing was changed. Check the file name, or restore the database from a backup.</source>
            <translation>{path} no es una base de datos de circlekeeper (ni siquiera es un archivo SQLite). No se cambió nada. Revise el nombre del archivo, o restaure la base de datos desde una copia de seguridad.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/store/database.py" />
            <source>{path} is an SQLite database, but not one made by circlekeeper. Nothing was changed. Choose another file.</source>
            <translation>{path} es una base de datos SQLite, pero no creada por circlekeeper. No se cambió nada. Elija otro archivo.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/store/database.py" />
            <source>{path} could not be read as a database ({exc}). Nothing was changed. It may be damaged: restore it from a backup.</source>
            <translation>No se pudo leer {path} como base de datos ({exc}). No se cambió nada. Puede estar dañada: restáurela desde una copia de seguridad.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/store/database.py" />
            <source>{path} is an SQLite database, but not one made by circlekeeper (it belongs to another program). Nothing was changed. Choose another file.</source>
            <translation>{path} es una base de datos SQLite, pero no creada por circlekeeper (pertenece a otro programa). No se cambió nada. Elija otro archivo.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/store/database.py" />
            <source>{destination} is a folder; give a file name for the backup.</source>
            <translation>{destination} es una carpeta; indique un nombre de archivo para la copia de seguridad.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/store/database.py" />
            <source>{destination} already exists; the backup will not overwrite it.</source>
            <translation>{destination} ya existe; la copia de seguridad no lo sobrescribirá.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/store/database.py" />
            <source>Could not write a backup in {parent} ({value}). The database was not changed. Choose a backup folder you can write to, or free some space.</source>
            <translation>No se pudo escribir una copia de seguridad en {parent} ({value}). La base de datos no cambió. Elija una carpeta de copias en la que se pueda escribir, o libere espacio.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/store/database.py" />
            <source>Could not write a backup to {destination} ({exc}). The database was not changed. Choose a backup folder you can write to, or free some space.</source>
            <translation>No se pudo escribir una copia de seguridad en {destination} ({exc}). La base de datos no cambió. Elija una carpeta de copias en la que se pueda escribir, o libere espacio.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/store/database.py" />
            <source>{server} is a database on the district's server: backups, encryption and wiping free space are the server's own routine there (pg_dump, the server's disk encryption, VACUUM), run by IT. Nothing was changed.</source>
            <translation>{server} es una base de datos en el servidor del distrito: allí las copias de seguridad, el cifrado y el borrado del espacio libre son tareas propias del servidor (pg_dump, el cifrado del disco del servidor, VACUUM), a cargo del personal de TI. No se cambió nada.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/store/database.py" />
            <source>{path} does not exist, so there is nothing to read. Nothing was created. Check the path given with --database.</source>
            <translation>{path} no existe, así que no hay nada que leer. No se creó nada. Revise la ruta indicada con --database.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/store/database.py" />
            <source>{path} was made by a newer version of circlekeeper (schema {revision}). This version cannot read it safely and has not changed it. Install the newer circlekeeper to open it.</source>
            <translation>{path} se creó con una versión más reciente de circlekeeper (esquema {revision}). Esta versión no puede leerla de forma segura y no la ha cambiado. Instale la versión más reciente de circlekeeper para abrirla.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/store/database.py" />
            <source>{path} was made by an older circlekeeper and needs upgrading: run 'circlekeeper db upgrade'.</source>
            <translation>{path} se creó con una versión anterior de circlekeeper y hay que actualizarla: ejecute «circlekeeper db upgrade».</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/store/encryption.py" />
            <source>{path} does not exist.</source>
            <translation>{path} no existe.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/store/encryption.py" />
            <source>{path} was made by a newer version of circlekeeper; it was not changed.</source>
            <translation>{path} se creó con una versión más reciente de circlekeeper; no se cambió.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/store/encryption.py" />
            <source>{path} is already protected with a passphrase.</source>
            <translation>{path} ya está protegida con una frase de acceso.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/store/encryption.py" />
            <source>{path} is not a database that can be encrypted.</source>
            <translation>{path} no es una base de datos que se pueda cifrar.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/store/encryption.py" />
            <source>{path} is not protected with a passphrase.</source>
            <translation>{path} no está protegida con una frase de acceso.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/store/encryption.py" />
            <source>{path} is not protected with a passphrase; encrypt it first.</source>
            <translation>{path} no está protegida con una frase de acceso; cífrela primero.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/store/engine.py" />
            <source>The disk is full, so the last change was not saved. Everything saved before it is safe. Free some space, then try again.</source>
            <translation>El disco está lleno, así que no se guardó el último cambio. Todo lo guardado antes está a salvo. Libere espacio e inténtelo de nuevo.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/store/engine.py" />
            <source>{path} can no longer be written (it was made read-only or its disk was unplugged), so the last change was not saved. Everything saved before it is safe. Make it writable again, then try again.</source>
            <translation>Ya no se puede escribir en {path} (se hizo de solo lectura o se desconectó su disco), así que no se guardó el último cambio. Todo lo guardado antes está a salvo. Permita escribir de nuevo e inténtelo otra vez.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/store/location.py" />
            <source>{path} is a link to {value}, which does not exist. Nothing was created or changed. Give the database file's real path, or fix the link.</source>
            <translation>{path} es un enlace a {value}, que no existe. No se creó ni se cambió nada. Indique la ruta real del archivo de la base de datos, o arregle el enlace.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/store/location.py" />
            <source>{path} is a folder, not a database file. Give a file name inside it, for example {value}.</source>
            <translation>{path} es una carpeta, no un archivo de base de datos. Indique un nombre de archivo dentro de ella, por ejemplo {value}.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/store/location.py" />
            <source>The database file {path} is read-only, so nothing could be saved. Make it writable, or copy it somewhere you can write, and open that copy.</source>
            <translation>El archivo de la base de datos {path} es de solo lectura, así que no se pudo guardar nada. Permita escribir en él, o cópielo a un lugar donde se pueda escribir y abra esa copia.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/store/location.py" />
            <source>The folder {parent} is read-only; SQLite needs to write its journal beside the database. Move the database to a folder you can write to.</source>
            <translation>La carpeta {parent} es de solo lectura; SQLite necesita escribir su diario junto a la base de datos. Mueva la base de datos a una carpeta en la que se pueda escribir.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/store/location.py" />
            <source>Cannot create a database at {path}: the folder {existing} is read-only or is not a folder. Choose another place.</source>
            <translation>No se puede crear una base de datos en {path}: la carpeta {existing} es de solo lectura o no es una carpeta. Elija otro lugar.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/store/problems.py" />
            <source>{path} is protected with a passphrase. Enter the passphrase to open it.</source>
            <translation>{path} está protegida con una frase de acceso. Escriba la frase de acceso para abrirla.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/store/problems.py" />
            <source>That passphrase does not open {path}. Nothing was changed. Check the spelling and the Caps Lock key, then try again.</source>
            <translation>Esa frase de acceso no abre {path}. No se cambió nada. Revise la ortografía y la tecla Bloq Mayús, e inténtelo de nuevo.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/store/problems.py" />
            <source>{path} is open in another circlekeeper window or program; close it first, then try again. Nothing was changed.</source>
            <translation>{path} está abierta en otra ventana de circlekeeper o en otro programa; ciérrela primero e inténtelo de nuevo. No se cambió nada.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/store/problems.py" />
            <source>{path} is in use by another program that has locked it, so circlekeeper cannot read it now. Nothing was changed. Close that program (or wait for it to finish), then try again.</source>
            <translation>{path} está en uso por otro programa que la bloqueó, así que circlekeeper no puede leerla ahora. No se cambió nada. Cierre ese programa (o espere a que termine) e inténtelo de nuevo.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/store/problems.py" />
            <source>The database {path} is damaged ({what}).</source>
            <translation>La base de datos {path} está dañada ({what}).</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/store/problems.py" />
            <source>It was moved aside, unchanged, to {moved_to} so nothing more is lost.</source>
            <translation>Se apartó, sin cambios, a {moved_to} para que no se pierda nada más.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/store/problems.py" />
            <source>Nothing was changed.</source>
            <translation>No se cambió nada.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/store/problems.py" />
            <source>The newest good backup is {backup}; restore it to go on.</source>
            <translation>La copia de seguridad buena más reciente es {backup}; restáurela para continuar.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/store/problems.py" />
            <source>No good backup was found; ask IT staff to look at the damaged file.</source>
            <translation>No se encontró ninguna copia de seguridad buena; pida al personal de informática que revise el archivo dañado.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/store/problems.py" />
            <source>{what}: the disk refused the write (it is full, or the file would pass a size limit set for this account). Nothing was left half written, and nothing saved before was changed. Free some space (or ask IT staff about the limit), then try again.</source>
            <translation>{what}: el disco rechazó la escritura (está lleno, o el archivo superaría un límite de tamaño fijado para esta cuenta). No quedó nada a medio escribir y no cambió nada de lo guardado antes. Libere espacio (o pregunte al personal de informática por el límite) e inténtelo de nuevo.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/store/scrub.py" />
            <source>The old records were removed, but {path} is open in another window or program, so the space they used could not be wiped yet. Close it, then run the retention again: it will finish the wipe.</source>
            <translation>Se quitaron los registros antiguos, pero {path} está abierta en otra ventana o programa, así que todavía no se pudo limpiar el espacio que ocupaban. Ciérrela y vuelva a aplicar la conservación: así terminará la limpieza.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/store/server.py" />
            <source>The server address could not be read. Nothing was changed. Write it as postgresql+psycopg://USER:PASSWORD@HOST:PORT/DATABASE.</source>
            <translation>No se pudo leer la dirección del servidor. No se cambió nada. Escríbala así: postgresql+psycopg://USUARIO:CONTRASEÑA@SERVIDOR:PUERTO/BASEDEDATOS.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/store/server.py" />
            <source>circlekeeper talks to PostgreSQL through psycopg 3 only, not '{drivername}'. Nothing was changed. Write the address as postgresql+psycopg://USER@HOST/DATABASE.</source>
            <translation>circlekeeper se comunica con PostgreSQL solo mediante psycopg 3, no '{drivername}'. No se cambió nada. Escriba la dirección así: postgresql+psycopg://USUARIO@SERVIDOR/BASEDEDATOS.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/store/server.py" />
            <source>The server address names no database (the part after the last '/'). Nothing was changed. Write it as postgresql+psycopg://USER@HOST:PORT/DATABASE.</source>
            <translation>La dirección del servidor no indica ninguna base de datos (la parte después de la última '/'). No se cambió nada. Escríbala así: postgresql+psycopg://USUARIO@SERVIDOR:PUERTO/BASEDEDATOS.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/store/server.py" />
            <source>The server {where} refused the sign-in: the user name or password is wrong. Nothing was changed. Check them with the district's IT.</source>
            <translation>El servidor {where} rechazó el inicio de sesión: el nombre de usuario o la contraseña no son correctos. No se cambió nada. Verifíquelos con el personal de TI del distrito.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/store/server.py" />
            <source>The server has no database named in {where}. Nothing was created or changed. Check the name after the last '/', or ask IT to create the database.</source>
            <translation>El servidor no tiene la base de datos indicada en {where}. No se creó ni se cambió nada. Revise el nombre después de la última '/', o pídale al personal de TI que cree la base de datos.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/store/server.py" />
            <source>The server {where} has no such user. Nothing was changed. Check the user name with the district's IT.</source>
            <translation>El servidor {where} no tiene ese usuario. No se cambió nada. Verifique el nombre de usuario con el personal de TI del distrito.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/store/server.py" />
            <source>The connection to the server {where} was lost, so the last change was not saved. Everything saved before it is safe. Check the network, then try again.</source>
            <translation>Se perdió la conexión con el servidor {where}, así que el último cambio no se guardó. Todo lo que se guardó antes está a salvo. Revise la red y vuelva a intentarlo.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/store/server.py" />
            <source>Could not reach the server {where}: nothing answered at that address and port. Nothing was changed. Check the host name and port, and that the server is running.</source>
            <translation>No se pudo conectar con el servidor {where}: nada respondió en esa dirección y ese puerto. No se cambió nada. Revise el nombre del servidor y el puerto, y que el servidor esté funcionando.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/store/server.py" />
            <source>The server {where} does not let this user do that (permission denied). Nothing was changed. Ask the district's IT which circlekeeper role you should use.</source>
            <translation>El servidor {where} no le permite hacer eso a este usuario (permiso denegado). No se cambió nada. Pregunte al personal de TI del distrito qué rol de circlekeeper debe usar.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/store/server.py" />
            <source>The server {describe} runs PostgreSQL {number}; circlekeeper needs PostgreSQL {minimum_major} or newer. Nothing was changed. Ask the district's IT to upgrade the server, or to give circlekeeper a database on a newer one.</source>
            <translation>El servidor {describe} usa PostgreSQL {number}; circlekeeper necesita PostgreSQL {minimum_major} o una versión más reciente. No se cambió nada. Pídale al personal de TI del distrito que actualice el servidor o que le dé a circlekeeper una base de datos en uno más reciente.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/store/server_roles.py" />
            <source>Nothing was read or changed. Ask the district's IT to run: circlekeeper db roles add {role} --as 'YOUR NAME' (with the server's URL).</source>
            <translation>No se leyó ni se cambió nada. Pida al equipo de informática del distrito que ejecute: circlekeeper db roles add {role} --as 'SU NOMBRE' (con la URL del servidor).</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/store/server_roles.py" />
            <source>The server role {role} is in none of circlekeeper's groups (counselor, administrator, SRO), so it may not open circlekeeper's records.</source>
            <translation>El rol del servidor {role} no pertenece a ninguno de los grupos de circlekeeper (consejería, administración, SRO), así que no puede abrir los registros de circlekeeper.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/store/server_roles.py" />
            <source>The server role {role} is not linked to anyone's profile, so it may not open circlekeeper's records.</source>
            <translation>El rol del servidor {role} no está vinculado al perfil de nadie, así que no puede abrir los registros de circlekeeper.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/store/server_roles.py" />
            <source>The server role {role} is not in the group its profile ({name}, {kind}) needs, so it may not open circlekeeper's records.</source>
            <translation>El rol del servidor {role} no está en el grupo que necesita su perfil ({name}, {kind}), así que no puede abrir los registros de circlekeeper.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/store/server_roles.py" />
            <source>{login} is not a plain role name: use lower-case letters, digits and underscores, starting with a letter (for example dana_whitfield).</source>
            <translation>{login} no es un nombre de rol válido: use letras minúsculas, números y guiones bajos, y empiece con una letra (por ejemplo dana_whitfield).</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/store/server_roles.py" />
            <source>{login} is one of circlekeeper's groups, not a person's role.</source>
            <translation>{login} es uno de los grupos de circlekeeper, no el rol de una persona.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/store/server_roles.py" />
            <source>Only the database's owner (the role that runs circlekeeper db upgrade) may add people's roles. Nothing was changed.</source>
            <translation>Solo el propietario de la base de datos (el rol que ejecuta circlekeeper db upgrade) puede añadir los roles de las personas. No se cambió nada.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/store/server_roles.py" />
            <source>There is no profile called {profile_name}. Add the person in Settings, under 'Who uses circlekeeper', then run this again. Nothing was changed.</source>
            <translation>No hay ningún perfil llamado {profile_name}. Añada a la persona en Configuración, en «Quién usa circlekeeper», y vuelva a ejecutar esto. No se cambió nada.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/store/server_schema.py" />
            <source>{where} was made by a newer version of circlekeeper (schema {revision}). This version cannot use it safely and has not changed it. Install the newer circlekeeper to open it.</source>
            <translation>{where} fue creado por una versión más reciente de circlekeeper (esquema {revision}). Esta versión no puede usarlo de forma segura y no lo cambió. Instale la versión más reciente de circlekeeper para abrirlo.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/store/server_schema.py" />
            <source>{where} holds no circlekeeper data yet, so there is nothing to read. Nothing was changed. Set it up first with 'circlekeeper db upgrade --database URL'.</source>
            <translation>{where} todavía no tiene datos de circlekeeper, así que no hay nada que leer. No se cambió nada. Primero prepárelo con 'circlekeeper db upgrade --database URL'.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/store/server_schema.py" />
            <source>{where} was made by an older circlekeeper and needs upgrading: run 'circlekeeper db upgrade'.</source>
            <translation>{where} fue creado por una versión anterior de circlekeeper y hay que actualizarlo: ejecute 'circlekeeper db upgrade'.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/store/server_schema.py" />
            <source>needs upgrading: run 'circlekeeper db upgrade'</source>
            <translation>hay que actualizarla: ejecute 'circlekeeper db upgrade'</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/store/server_schema.py" />
            <source>holds no circlekeeper data yet</source>
            <translation>todavía no tiene datos de circlekeeper</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/store/server_schema.py" />
            <source>made by a newer circlekeeper (schema {revision})</source>
            <translation>creada por una versión más reciente de circlekeeper (esquema {revision})</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/store/server_schema.py" />
            <source>{what} is missing or switched off (trigger {needed})</source>
            <translation>{what}: falta o está desactivado (disparador {needed})</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/store/server_schema.py" />
            <source>{unchecked} references between records are not enforced</source>
            <translation>{unchecked} referencias entre registros no se están haciendo cumplir</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/today/at_risk.py" />
            <source>The follow-up date {day} has passed with no follow-up done.</source>
            <translation>La fecha de seguimiento {day} ya pasó sin que se hiciera el seguimiento.</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/today/at_risk.py" />
            <source>1 item is overdue (by 1 day).</source>
            <translation>1 compromiso está vencido (por 1 día).</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/today/at_risk.py" />
            <source>1 item is overdue (by {days} days).</source>
            <translation>1 compromiso está vencido (por {days} días).</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/today/at_risk.py" />
            <source>{count} items are overdue (the oldest by 1 day).</source>
            <translation>{count} compromisos están vencidos (el más antiguo por 1 día).</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/core/today/at_risk.py" />
            <source>{count} items are overdue (the oldest by {days} days).</source>
            <translation>{count} compromisos están vencidos (el más antiguo por {days} días).</translation>
        </message>
    </context>
    <context>
        <name>live</name>
        <message>
            <location filename="../../src/circlekeeper/ui/live/labels.py" />
            <source>keeper</source>
            <translation>facilitador/a</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/labels.py" />
            <source>co-keeper</source>
            <translation>cofacilitador/a</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/labels.py" />
            <source>with {name}</source>
            <translation>con {name}</translation>
        </message>
        <message>
            <location filename="../../src/circlekeeper/ui/live/labels.py" />
            <source>Someone</source>
            <translation>Alguien</translation>
        </message>
        <message>
            <source>harmed</source>
            <translation type="vanished">afectada</translation>
        </message>
        <message>
            <source>responsible</source>
            <translation type="vanished">responsable</translation>
        </message>
        <message>
            <source>harmed and responsible</source>
            <translation type="vanished">afectada y responsable</translation>
        </message>
        <message>
            <source>community</source>
            <translation type="vanished">comunidad</translation>
        </message>
        <message>
            <source>administrator</source>
            <translation type="vanished">administración</translation>
        </message>
    </context>
    <context>
        <name>unexpected</name>
        <message>
            <location filename="../../src/circlekeeper/ui/unexpected.py" />
            <source>Something went wrong in circlekeeper. Nothing saved was lost: every change is stored the moment it is made, and you can carry on. If it happens again, restart circlekeeper. The details are in the log (the logs folder in the data folder).</source>
            <translation>Algo salió mal en circlekeeper. No se perdió nada de lo guardado: cada cambio se guarda en el momento en que se hace, y puede seguir trabajando. Si vuelve a pasar, reinicie circlekeeper. Los detalles están en el registro (la carpeta de registros en la carpeta de datos).</translation>
        </message>
    </context>
</TS>
