/* words.c - embedded vocabulary for syndgen (see words.h). */
#include "words.h"
#include <stddef.h>

const char *const W_NOUNS[] = {
    "year people:people government time day week country state company official police:police city "
    "month president minister world part group number report family life plan man:men "
    "woman:women child:children home service law market money:money business:businesses issue decision side "
    "area war end point program news:news school water:water health:health cost price deal member team system "
    "right way question information:information power job court office policy rate support:support problem effort "
    "election vote party leader case force action work security:security investment statement "
    "agreement measure economy industry result border crisis:crises change level use season interest "
    "board bank development project community region capital control attack death fire "
    "building road agency trade tax budget growth:growth sale student teacher worker player fan "
    "child_care energy:energy oil:oil gas:gas food:food hospital patient doctor victim suspect charge trial "
    "judge lawyer jury sentence prison officer soldier troop military weapon border_crossing",
    "fund share stock investor analyst shareholder profit loss revenue:revenue earnings:earnings forecast "
    "quarter demand supply production:production plant factory manager executive director chairman "
    "spokesman:spokesmen spokeswoman:spokeswomen spokesperson source document letter "
    "talk meeting conference summit visit trip campaign candidate voter seat majority "
    "coalition opposition parliament congress:congress senate committee hearing inquiry investigation "
    "probe review study survey poll data:data figure percentage share_price debt:debt loan credit "
    "payment salary wage pension benefit contract bid offer merger acquisition stake unit "
    "division subsidiary brand product customer consumer retailer store shop online platform "
    "network phone device software:software app technology internet website user account data_breach "
    "storm flood rain:rain snow:snow wind heat:heat drought:drought earthquake wildfire damage:damage emergency:emergency rescue "
    "evacuation:evacuation shelter resident neighborhood town village county province district street",
    "bridge airport flight passenger train station port ship vessel vehicle car truck driver "
    "accident crash injury hospital_bed ambulance protest protester demonstration rally strike "
    "union demand wage_deal negotiation dispute lawsuit ruling appeal verdict conviction arrest "
    "warrant raid shooting gunman victim_family funeral memorial tribute anniversary ceremony "
    "award prize festival concert film book museum exhibition artist writer singer actor "
    "audience crowd event game match tournament championship league coach goal score win "
    "defeat title record history:history tradition culture:culture religion:religion church faith:faith scientist research:research "
    "discovery vaccine disease virus outbreak infection treatment:treatment drug medicine:medicine clinic nurse "
    "care:care diet:diet obesity:obesity cancer heart brain risk symptom test trial_result approval regulator "
    "rule regulation standard license permit ban restriction limit target goal_line warning",
    "threat risk concern fear hope pressure challenge opportunity benefit impact effect cause "
    "reason factor trend shift move step decision_maker proposal bill amendment reform "
    "package strategy approach framework model method process procedure condition term "
    "deadline date period decade century hour minute moment morning afternoon evening night "
    "weekend holiday summer winter spring autumn record_high low peak rise fall increase "
    "decline drop jump gain cut reduction surge slump recovery recession inflation:inflation interest_rate "
    "currency dollar euro pound yen bond yield commodity gold:gold copper:copper wheat:wheat corn:corn crop farmer "
    "farm land forest river lake sea coast island mountain valley park environment:environment climate:climate "
    "emission pollution:pollution carbon:carbon waste:waste recycling:recycling plastic resource mine mining coal:coal steel:steel "
    "aluminum:aluminum chemical material equipment:equipment machine tool engine battery solar_panel turbine "
    "grid electricity:electricity utility pipeline refinery tanker fuel:fuel diesel:diesel petrol:petrol charging_station",
    "housing:housing rent mortgage home_price property estate developer construction:construction infrastructure:infrastructure "
    "transport:transport transit bus subway railway highway traffic:traffic commuter tourism:tourism tourist hotel "
    "restaurant bar club sport athlete stadium arena ticket broadcast channel station_manager "
    "newspaper magazine journalist reporter editor media:media press:press interview speech remark comment "
    "claim allegation accusation denial apology criticism:criticism praise:praise response reaction answer "
    "explanation detail fact evidence:evidence proof witness testimony:testimony record_book file email message "
    "post video photo image picture footage:footage camera recording account_holder profile identity "
    "citizen immigrant refugee asylum migrant visa passport embassy ambassador diplomat "
    "ally partner rival enemy neighbor friend relative parent mother father son daughter "
    "brother sister husband wife baby teenager youth adult elder generation population "
    "household income:income poverty:poverty unemployment:unemployment employment:employment hiring:hiring layoff staff:staff employee workforce:workforce",
    NULL};

const char *const W_VERBS[] = {
    "say:said make:made take:took give:gave tell:told announce report expect plan:planned add show "
    "find:found call ask agree want need continue include lead:led hold:held raise reach "
    "open close warn accuse deny confirm approve reject launch cut:cut increase reduce rise:rose "
    "fall:fell receive face seek:sought win:won lose:lost meet:met visit order urge allow "
    "offer provide pay:paid buy:bought sell:sold spend:spent build:built create hire fire "
    "arrest charge kill injure attack destroy damage hit:hit strike:struck force push pull "
    "move bring:brought send:sent return leave:left enter join support oppose back block",
    "ban:banned limit restrict delay cancel postpone suspend end start begin:began complete finish "
    "sign pass vote elect appoint name replace resign step:stepped investigate examine review study "
    "consider discuss debate propose suggest recommend demand require request prepare "
    "develop produce design test release publish issue describe explain admit:admitted acknowledge "
    "insist argue claim state note stress highlight point signal indicate mark "
    "celebrate honor welcome praise criticize condemn blame threaten promise pledge vow "
    "estimate forecast:forecast predict project calculate measure count track monitor watch see:saw "
    "hear:heard know:knew believe think:thought feel:felt understand:understood learn "
    "discover reveal expose uncover identify recognize remember list rank rate",
    "expand grow:grew shrink:shrank boost lift lower drop:dropped climb jump surge slide slip:slipped tumble "
    "plunge gain double triple slow ease stabilize recover improve worsen deteriorate "
    "collapse fail succeed manage handle operate run:ran control:controlled own acquire merge "
    "invest finance fund lend:lent borrow owe settle resolve negotiate secure protect defend "
    "rescue evacuate flee:fled escape survive die treat cure vaccinate infect spread:spread "
    "recall inspect close_down shut:shut reopen resume restore repair replace_with upgrade "
    "install deploy station train employ cover report_on interview quote question "
    "challenge dispute sue appeal overturn uphold rule convict sentence jail free",
    NULL};

const char *const W_ADJS[] = {
    "new last other first government former local national public political economic "
    "foreign international federal major big large small high low early late long short "
    "next final key senior top chief main important possible likely recent current previous "
    "annual monthly weekly daily financial military official social legal medical private "
    "global regional rural urban central northern southern eastern western "
    "strong weak good bad better worse best worst serious severe significant "
    "sharp steep slight modest huge massive record further additional extra full partial "
    "total average median overall net gross initial preliminary potential proposed planned "
    "expected unexpected surprise sudden rapid slow gradual steady stable volatile "
    "uncertain clear unclear open closed free fair independent joint common general special "
    "specific particular certain similar different separate single double",
    "young old elderly popular famous controversial critical positive negative "
    "strict tough hard easy difficult simple complex broad narrow wide deep heavy light "
    "dark bright hot cold warm wet dry fresh clean safe dangerous deadly fatal violent "
    "peaceful quiet busy crowded empty rich poor cheap expensive costly affordable "
    "available limited sufficient necessary urgent immediate temporary permanent "
    "emergency environmental industrial commercial residential agricultural technical "
    "digital online electric nuclear renewable green natural human civil criminal "
    "judicial electoral parliamentary presidential democratic conservative liberal "
    "progressive moderate radical extreme armed unarmed missing dead injured wounded "
    "displaced homeless unemployed educated skilled professional amateur domestic "
    "European Asian African American Chinese Russian British French German Indian",
    NULL};

const char *const W_ADVS[] = {
    "also now still already again only just even more most very much however nearly "
    "almost about around recently currently previously later earlier soon finally "
    "immediately quickly slowly sharply steadily gradually significantly largely mostly "
    "partly fully publicly privately officially reportedly allegedly apparently clearly "
    "strongly widely heavily increasingly repeatedly initially eventually separately "
    "jointly directly temporarily permanently nationwide abroad overnight yesterday",
    NULL};

const char *const W_PREPS[] = {
    "in on at for with from by to after over under during since before against between "
    "among across through into near without despite amid following ahead_of outside "
    "inside around toward beyond along within until",
    NULL};

const char *const W_TOPIC_NAMES[N_TOPICS] = {"politics", "business", "crime", "disaster",
                                             "health", "technology", "environment", "education"};

const char *const W_TOPIC_NOUNS[N_TOPICS] = {
    "election vote ballot candidate campaign voter parliament lawmaker senator governor mayor "
    "party coalition cabinet minister reform bill veto referendum poll constituency debate "
    "majority opposition seat legislature mandate incumbent primary runoff turnout",
    "company share investor revenue:revenue profit earnings:earnings quarter forecast analyst shareholder "
    "merger acquisition dividend stock bond market sales:sales margin guidance outlook valuation "
    "buyback stake chief_executive board supplier retailer inflation:inflation tariff",
    "police suspect arrest charge court judge jury trial sentence prison prosecutor "
    "detective victim witness shooting robbery fraud murder investigation warrant custody "
    "verdict defendant lawyer bail officer crime gang weapon",
    "storm flood earthquake wildfire fire hurricane tornado landslide evacuation:evacuation rescue "
    "firefighter shelter damage:damage debris:debris power_outage resident survivor aftershock rainfall "
    "emergency relief:relief aid:aid casualty toll wind blaze dam levee",
    "hospital patient doctor nurse vaccine virus outbreak infection disease treatment:treatment drug "
    "trial clinic symptom case death_rate health_authority surgery cancer diagnosis:diagnoses "
    "prescription insurance pharmacy epidemic dose therapy medicine:medicine",
    "technology software:software app platform user data:data privacy chip semiconductor startup "
    "device smartphone network cloud server algorithm artificial_intelligence model "
    "cybersecurity hacker breach update feature developer subscription broadband",
    "climate emission carbon:carbon pollution:pollution forest wildlife species:species habitat conservation "
    "drought temperature glacier ocean coral river water_supply energy:energy solar wind_farm "
    "recycling plastic waste:waste biodiversity park ecosystem heatwave",
    "school student teacher university college campus tuition exam curriculum classroom "
    "enrollment graduate degree scholarship principal district board union budget "
    "lecture research:research faculty semester literacy kindergarten",
};

const char *const W_TOPIC_VERBS[N_TOPICS] = {
    "elect campaign vote veto govern nominate pass endorse legislate resign",
    "invest acquire merge report forecast:forecast trade list delist reward restructure",
    "arrest charge convict sentence investigate rob:robbed shoot:shot detain prosecute testify",
    "evacuate rescue flood burn collapse destroy shelter flee:fled rebuild:rebuilt warn",
    "treat vaccinate diagnose infect hospitalize prescribe test recover admit:admitted screen",
    "launch update hack encrypt download release develop deploy stream integrate",
    "protect pollute emit:emitted conserve plant restore recycle warm threaten monitor",
    "teach:taught enroll graduate study attend expel:expelled hire test fund train",
};

/* synonym groups: words inside a group are interchangeable for rewording */
const char *const W_SYNONYMS[] = {
    "said told stated added;announced unveiled revealed disclosed;rose climbed increased "
    "gained jumped;fell dropped declined slipped slid;big large major huge;small minor "
    "modest slight;cut reduced lowered trimmed;raised lifted boosted;warned cautioned;"
    "expected anticipated forecast predicted;plan proposal scheme;company firm group;"
    "officials authorities;government administration;people residents;police officers;"
    "began started;ended concluded finished;help aid support assist;quickly rapidly swiftly;"
    "about around roughly approximately;more than over;also additionally;however but;"
    "killed left_dead;injured wounded hurt;attack assault;fire blaze;car vehicle;"
    "buy purchase;sell offload;bought acquired purchased;sold offloaded;job post role;"
    "workers employees staff;chief head;important key crucial vital;new fresh;"
    "recent latest;talks negotiations discussions;meeting session;deal agreement accord;"
    "rules regulations;ban prohibition;show indicate suggest;shows indicates suggests;"
    "showed indicated suggested;need require;needs requires;needed required;"
    "said_on said_late_on;city town;country nation;quarter three_months;profit earnings;"
    "loss deficit;price cost;prices costs;risk danger;risks dangers;concern worry;"
    "concerns worries;called urged;asked questioned;agreed consented;rejected dismissed "
    "refused;criticized slammed attacked;praised hailed welcomed;investigation probe inquiry;"
    "statement release;spokesman spokesperson representative;residents locals;"
    "before ahead_of;after following;during amid;despite notwithstanding",
    NULL};

const char *const W_FIRST[] = {
    "James Mary John Patricia Robert Jennifer Michael Linda William Elizabeth David Barbara "
    "Richard Susan Joseph Jessica Thomas Sarah Charles Karen Daniel Nancy Matthew Lisa "
    "Anthony Margaret Mark Betty Donald Sandra Steven Ashley Paul Kimberly Andrew Emily "
    "Joshua Donna Kenneth Michelle Kevin Carol Brian Amanda George Melissa Edward Deborah "
    "Ronald Stephanie Timothy Rebecca Jason Laura Jeffrey Helen Ryan Sharon Jacob Cynthia "
    "Gary Kathleen Nicholas Amy Eric Shirley Jonathan Angela Stephen Anna Larry Ruth "
    "Justin Brenda Scott Pamela Brandon Nicole Frank Katherine Benjamin Samantha Gregory "
    "Christine Samuel Catherine Raymond Virginia Patrick Debra Alexander Rachel Jack Janet "
    "Ahmed Mohammed Fatima Aisha Omar Yusuf Leila Hassan Priya Rahul Anil Sunita Arjun "
    "Wei Li Ming Hui Jun Yuki Hiroshi Kenji Sakura Min-jun Ji-woo Olga Ivan Dmitri Natalia "
    "Sergei Elena Pierre Marie Jean Claire Luc Sophie Hans Klaus Anke Lars Ingrid Sven "
    "Carlos Maria Jose Ana Luis Sofia Diego Camila Mateo Valentina Giovanni Giulia Marco "
    "Francesca Kwame Amara Chidi Ngozi Tariq Zainab Mehmet Ayse Emre Noa Avi Tamar",
    NULL};

const char *const W_LAST[] = {
    "Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez "
    "Lopez Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson "
    "White Harris Sanchez Clark Ramirez Lewis Robinson Walker Young Allen King Wright Scott "
    "Torres Nguyen Hill Flores Green Adams Nelson Baker Hall Rivera Campbell Mitchell Carter "
    "Roberts Gomez Phillips Evans Turner Diaz Parker Cruz Edwards Collins Reyes Stewart "
    "Morris Morales Murphy Cook Rogers Gutierrez Ortiz Morgan Cooper Peterson Bailey Reed "
    "Kelly Howard Ramos Kim Cox Ward Richardson Watson Brooks Chavez Wood James Bennett "
    "Gray Mendoza Ruiz Hughes Price Alvarez Castillo Sanders Patel Myers Long Ross Foster "
    "Mueller Schmidt Schneider Fischer Weber Dubois Moreau Laurent Lefebvre Rossi Russo "
    "Bianchi Ferrari Ivanov Petrov Smirnov Kowalski Nowak Novak Horvat Jensen Nielsen "
    "Hansen Larsen Andersson Johansson Virtanen Tanaka Suzuki Sato Watanabe Takahashi "
    "Wang Zhang Liu Chen Yang Huang Zhao Wu Zhou Park Choi Kang Singh Kumar Sharma Gupta "
    "Khan Ali Hussain Rahman Okafor Mensah Adeyemi Banda Mwangi Yilmaz Kaya Cohen Levi",
    NULL};

const char *const W_LAST_PRE[] = {
    "Ash Black Bram Brook Cal Cart Dal Dun Elm Fair Fen Hal Hart Hawk Kirk Lang Lock Mar "
    "Mill Mor North Oak Pen Ral Red Ridge Rock Ros Rut Sal Stan Stone Thorn Wal West Whit "
    "Win Wolf Ald Bel Cor Dor Gar Har Ken Lin Mel Nor Pem Quin Ran Sel Tal Ver Wen Yar",
    NULL};
const char *const W_LAST_SUF[] = {
    "ford ton ley wood field worth by ham stead well more combe bridge wick land mont "
    "shaw berg stein mann son sen ridge ington er ock ett ins ard ow ing",
    NULL};

const char *const W_CITIES[] = {
    "London Paris Berlin Madrid Rome Lisbon Dublin Brussels Amsterdam Vienna Prague Warsaw "
    "Budapest Athens Stockholm Oslo Copenhagen Helsinki Zurich Geneva Milan Munich Hamburg "
    "Frankfurt Lyon Marseille Barcelona Valencia Porto Manchester Birmingham Glasgow "
    "Edinburgh Leeds Liverpool Bristol Cardiff Belfast New_York Washington Chicago "
    "Los_Angeles Houston Phoenix Philadelphia San_Antonio San_Diego Dallas Austin Denver "
    "Seattle Boston Atlanta Miami Detroit Minneapolis Portland Nashville Baltimore "
    "Cleveland Pittsburgh St._Louis Kansas_City Sacramento Tampa Orlando Charlotte Raleigh "
    "Salt_Lake_City Las_Vegas Albuquerque Tucson Omaha Milwaukee Indianapolis Columbus "
    "Cincinnati Louisville Memphis New_Orleans Richmond Toronto Montreal Vancouver Calgary "
    "Ottawa Edmonton Winnipeg Halifax Mexico_City Guadalajara Monterrey Bogota Lima "
    "Santiago Buenos_Aires Sao_Paulo Rio_de_Janeiro Caracas Quito Tokyo Osaka Seoul "
    "Beijing Shanghai Hong_Kong Taipei Singapore Bangkok Jakarta Manila Hanoi Kuala_Lumpur "
    "Mumbai New_Delhi Bengaluru Chennai Kolkata Karachi Lahore Dhaka Colombo Kathmandu "
    "Dubai Abu_Dhabi Riyadh Doha Tehran Baghdad Istanbul Ankara Cairo Beirut Amman "
    "Jerusalem Nairobi Lagos Accra Johannesburg Cape_Town Addis_Ababa Kinshasa Dakar "
    "Casablanca Tunis Algiers Sydney Melbourne Brisbane Perth Adelaide Auckland Wellington",
    NULL};

const char *const W_COUNTRIES[] = {
    "the_United_States Britain France Germany Italy Spain Canada Mexico Brazil Argentina "
    "China Japan India Russia Ukraine Poland Turkey Iran Israel Egypt Nigeria Kenya "
    "South_Africa Australia Indonesia Pakistan Bangladesh Vietnam Thailand the_Philippines "
    "South_Korea Saudi_Arabia the_Netherlands Belgium Sweden Norway Denmark Finland "
    "Switzerland Austria Greece Portugal Ireland Chile Colombia Peru Venezuela Ethiopia "
    "Ghana Morocco Algeria Iraq Syria Jordan Qatar Malaysia Singapore New_Zealand",
    NULL};

const char *const W_CO_PRE[] = {
    "Ver Cor Nex Ald Bry Cal Dyn Ex Flu Gen Hal Ion Jun Kel Lum Mer Nov Opt Pra Quor Ral "
    "Sol Tel Ul Val Wex Xan Yor Zen Ab Bel Cy Del Em Fer Gal Hel Ir Kor Lex Mag Nor Ost "
    "Pel Riv Sten Tor Vor",
    NULL};
const char *const W_CO_SUF[] = {
    "idan ex tra on ia ix ora ent os ara ium ova ant igo ica ence yx ero ane ida ivo ath "
    "aro ton ell ium_Group ona",
    NULL};
const char *const W_CO_IND[] = {
    "Energy Capital Pharma Systems Foods Motors Telecom Logistics Mining Media Bank "
    "Insurance Airlines Steel Chemicals Health Software Semiconductor Retail Brands "
    "Industries Networks Biotech Realty Shipping Robotics Solar Utilities Resources",
    NULL};
const char *const W_CO_KIND[] = {
    "Inc Corp Holdings Group Ltd plc AG SA Co Partners",
    NULL};

const char *const W_PAPERS[] = {
    "Herald Times Gazette Post Courier Tribune Chronicle Observer Independent Journal "
    "Sentinel Examiner Star Record Register Dispatch Bulletin Mail Express Review Telegraph "
    "Daily_News Press Standard Leader Mercury Enquirer Globe Advocate Democrat Republican "
    "Free_Press Beacon Ledger Argus Citizen Messenger Echo Guardian Pioneer",
    NULL};

const char *const W_BRAND_A[] = {
    "News Daily Metro Global Pulse Signal Front Open Clear Bright Capital Civic Open_Wire "
    "Morning Evening Insider Current First Prime Urban Coastal Valley Frontier",
    NULL};
const char *const W_BRAND_B[] = {
    "Hub Wire Line Desk Watch Report Now Today Digest Beat Point Post Brief Feed Times "
    "Monitor Review Network Herald Lens",
    NULL};

const char *const W_MASCOTS[] = {
    "United City Rovers Athletic Wanderers Rangers Lions Eagles Tigers Bears Hawks Wolves "
    "Falcons Sharks Giants Knights Kings Royals Pirates Sailors Miners Mariners Comets "
    "Thunder Storm Phoenix Stallions Bulls Panthers Cobras",
    NULL};

/* "%s" in a role is replaced by an organisation name */
const char *const W_ROLES[] = {
    "chief_executive_of_%s|spokesman_for_%s|spokeswoman_for_%s|chairman_of_%s|"
    "an_analyst_at_%s|a_senior_official_at_%s|the_minister_of_finance|the_interior_minister|"
    "the_city's_mayor|a_local_resident|the_head_of_the_regional_authority|a_police_spokesman|"
    "the_lead_investigator|a_professor_at_%s|the_chief_financial_officer_of_%s|"
    "a_lawyer_for_the_family|the_state_governor|an_opposition_lawmaker|the_union_leader",
    NULL};

const char *const W_SECTORS[] = {
    "energy technology financials healthcare utilities materials industrials real_estate "
    "consumer_staples consumer_discretionary communication_services",
    NULL};
