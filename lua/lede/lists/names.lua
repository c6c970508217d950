--- Given names with their usual gender, and common family names, written by
-- hand. They help tell a person's name from other capitalised words
-- ("Andrei Karneev said" is a person because Andrei is a given name) and give
-- a person a gender for resolving "he" and "she".
--
-- `first_names.m` / `.f`: given names mostly borne by men / by women;
-- `first_names.u`: given names used for both.
-- `surnames`: family names that start a name in East Asian order
-- ("Wang Yi", "Kim Jong Un") or are very common elsewhere.
--
-- @module lede.lists.names
return {
  first_names = {
    m = {
      "Aaron", "Abdul", "Abdullah", "Abraham", "Adam", "Adrian", "Ahmad", "Ahmed", "Alan", "Albert",
      "Alberto", "Alejandro", "Aleksandr", "Alessandro", "Alex", "Alexander", "Alexandre", "Alexei",
      "Alexey", "Alfonso", "Alfred", "Ali", "Amir", "Anatoly", "Anders", "Andre", "Andrea", "Andreas",
      "Andrei", "Andres", "Andrew", "Andrey", "Andrii", "Andriy", "Andrzej", "Angelo", "Anthony", "Anton",
      "Antonio", "Antony", "Arnold", "Arthur", "Arturo", "Ashraf", "Barack", "Barry", "Ben", "Benjamin",
      "Bernard", "Bernie", "Bill", "Bob", "Boris", "Brad", "Brandon", "Brian", "Bruce", "Bruno", "Bryan",
      "Carl", "Carlos", "Charles", "Charlie", "Chris", "Christian", "Christopher", "Chuck", "Claude",
      "Clement", "Colin", "Craig", "Cyril", "Daniel", "Daniele", "Danny", "Dario", "Dave", "David",
      "Dennis", "Denis", "Denys", "Derek", "Diego", "Dmitri", "Dmitriy", "Dmitry", "Dmytro", "Dominic",
      "Don", "Donald", "Douglas", "Duncan", "Eduardo", "Edward", "Emmanuel", "Enrique", "Eric", "Erik",
      "Ernesto", "Evgeny", "Fabio", "Faisal", "Farid", "Felipe", "Fernando", "Francesco", "Francis",
      "Francisco", "Francois", "François", "Frank", "Franz", "Fred", "Frederick", "Friedrich", "Gabriel",
      "Gareth", "Gary", "Gavin", "Geoffrey", "George", "Georgy", "Gerald", "Gerhard", "Giorgio",
      "Giovanni", "Giuseppe", "Gordon", "Graham", "Greg", "Gregory", "Guillaume", "Gustavo", "Hamid",
      "Hans", "Harold", "Harry", "Hassan", "Heinrich", "Henri", "Henry", "Herbert", "Hiroshi", "Howard",
      "Hugh", "Hugo", "Hussein", "Ian", "Ibrahim", "Igor", "Ilya", "Imran", "Isaac", "Ivan", "Jack",
      "Jacob", "Jacques", "Jaime", "Jake", "James", "Jan", "Jason", "Javier", "Jean", "Jeff", "Jeffrey",
      "Jens", "Jeremy", "Jerome", "Jim", "Jimmy", "Joachim", "Joe", "Johann", "Johannes", "John",
      "Johnny", "Jon", "Jonathan", "Jorge", "Jose", "José", "Josef", "Joseph", "Josh", "Joshua", "Juan",
      "Julian", "Julio", "Justin", "Kamal", "Karl", "Keith", "Ken", "Kenji", "Kenneth", "Kevin",
      "Khalid", "Kirill", "Klaus", "Konstantin", "Kurt", "Larry", "Lars", "Lawrence", "Leo", "Leon",
      "Leonid", "Lloyd", "Lorenzo", "Louis", "Luca", "Lucas", "Luigi", "Luis", "Luiz", "Lukas", "Luke",
      "Mahmoud", "Malcolm", "Manuel", "Marc", "Marcelo", "Marco", "Marcus", "Mario", "Mark", "Martin",
      "Mateusz", "Matt", "Matteo", "Matthew", "Matthias", "Mauricio", "Max", "Maxim", "Michael",
      "Michel", "Miguel", "Mikhail", "Mike", "Mohamed", "Mohammad", "Mohammed", "Muhammad", "Mustafa",
      "Nabil", "Naftali", "Narendra", "Nathan", "Neil", "Nicholas", "Nick", "Nicolas", "Nikita",
      "Nikolai", "Nikolay", "Noah", "Oleg", "Oleksandr", "Oleksiy", "Oliver", "Olaf", "Omar", "Oscar",
      "Osama", "Owen", "Pablo", "Patrick", "Paul", "Paulo", "Pavel", "Pedro", "Peter", "Petr", "Petro",
      "Phil", "Philip", "Philippe", "Pierre", "Piotr", "Rafael", "Rahul", "Rajesh", "Ralph", "Ramon",
      "Raul", "Ray", "Raymond", "Recep", "Reza", "Ricardo", "Richard", "Rick", "Rob", "Robert",
      "Roberto", "Rodrigo", "Roger", "Roman", "Ron", "Ronald", "Ross", "Roy", "Ruslan", "Russell",
      "Ryan", "Said", "Salman", "Sam", "Samuel", "Sanjay", "Scott", "Sean", "Sebastian", "Sergei",
      "Sergey", "Sergio", "Serhiy", "Shinzo", "Simon", "Stanislav", "Stefan", "Stephane", "Stephen",
      "Steve", "Steven", "Stuart", "Sunil", "Taro", "Ted", "Theodore", "Thomas", "Tim", "Timothy",
      "Tobias", "Todd", "Tom", "Tomas", "Tony", "Valery", "Vasily", "Viktor", "Vincent", "Vitaly",
      "Vladimir", "Vladislav", "Volodymyr", "Walter", "Wayne", "Werner", "William", "Wolfgang",
      "Xavier", "Nigel", "Keir", "Rishi", "Ed", "Eddie", "Carlo", "Kylian", "Garry", "Gerry",
      "Terry", "Jerry", "Dan", "Luka", "Novak", "Lionel", "Cristiano", "Erling", "Jude", "Declan",
      "Mikel", "Pep", "Takeshi", "Yoshimasa", "Shinichi", "Akira", "Haruki", "Kazuo", "Naoki",
      "Satoshi", "Takashi", "Hideki", "Koji", "Jensen", "Elon", "Sundar", "Satya", "Tim", "Warren",
      "Yaroslav", "Yevgeny", "Yosef", "Youssef", "Yuri", "Yury", "Zachary", "Ziad",
    },
    f = {
      "Abigail", "Ada", "Adriana", "Agnes", "Aisha", "Alejandra", "Alessandra", "Alexandra", "Alice",
      "Alicia", "Alina", "Alison", "Amanda", "Amelia", "Amy", "Ana", "Anastasia", "Andrea", "Angela",
      "Angelina", "Anita", "Ann", "Anna", "Annalena", "Anne", "Annie", "Antonia", "Anya", "Ashley",
      "Barbara", "Beatrice", "Betty", "Beverly", "Brenda", "Bridget", "Caroline", "Carmen", "Carol",
      "Caroline", "Catherine", "Cecilia", "Charlotte", "Chloe", "Christina", "Christine", "Chrystia",
      "Cindy", "Claire", "Clara", "Claudia", "Cristina", "Cynthia", "Daria", "Deborah", "Denise",
      "Diana", "Diane", "Donna", "Dorothy", "Elena", "Elisabeth", "Elizabeth", "Ella", "Ellen",
      "Elsa", "Emily", "Emma", "Erin", "Eva", "Evelyn", "Fatima", "Fiona", "Frances", "Francesca",
      "Gabriela", "Gabrielle", "Galina", "Giorgia", "Gloria", "Grace", "Hannah", "Heather", "Heidi",
      "Helen", "Helena", "Hillary", "Ingrid", "Irene", "Irina", "Isabel", "Isabella", "Ivanka",
      "Jacinda", "Jacqueline", "Jane", "Janet", "Janice", "Jennifer", "Jessica", "Jill", "Joan",
      "Joanna", "Jodie", "Josephine", "Joyce", "Judith", "Judy", "Julia", "Julie", "Juliet", "Karen",
      "Karin", "Katarzyna", "Katherine", "Kathleen", "Kathryn", "Kathy", "Katie", "Katrin", "Kelly",
      "Kamala", "Kaja", "Kristalina", "Laura", "Lauren", "Leila", "Linda", "Lisa", "Liz", "Lucia",
      "Lucy", "Ludmila", "Lyudmila", "Magdalena", "Margaret", "Margarita", "Maria", "Marie", "Marina",
      "Marine", "Marta", "Martha", "Mary", "Maya", "Megan", "Melania", "Melanie", "Mélanie", "Melissa",
      "Mia", "Michelle", "Monica", "Nadia", "Nancy", "Natalia", "Natalie", "Natasha", "Nicola",
      "Nicole", "Nina", "Olena", "Olga", "Olivia", "Paola", "Pamela", "Patricia", "Paula", "Penny",
      "Priya", "Rachel", "Rebecca", "Rita", "Rosa", "Rose", "Ruth", "Sabine", "Sally", "Samantha",
      "Sandra", "Sara", "Sarah", "Sharon", "Sheila", "Silvia", "Sofia", "Sonia", "Sophia", "Sophie",
      "Stephanie", "Susan", "Svetlana", "Sylvie", "Tamara", "Tatiana", "Tatyana", "Teresa", "Theresa",
      "Tina", "Ursula", "Valentina", "Valerie", "Vanessa", "Vera", "Victoria", "Virginia", "Wendy",
      "Greta", "Stacy", "Katie", "Serena", "Naomi", "Simone", "Coco", "Yuko", "Keiko", "Akiko",
      "Hiroko", "Tomoko", "Ilhan", "Nikki",
      "Yekaterina", "Yelena", "Yulia", "Yvette", "Zainab", "Zoe",
    },
    u = {
      "Alexis", "Ariel", "Avery", "Casey", "Charlie", "Dana", "Jamie", "Jordan", "Jean-Pierre",
      "Kim", "Leslie", "Morgan", "Robin", "Sasha", "Taylor",
    },
  },
  surnames = {
    -- Chinese
    "Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu", "Sun", "Ma",
    "Zhu", "Hu", "Guo", "Lin", "Gao", "Luo", "Zheng", "Liang", "Xie", "Song", "Tang", "Han",
    "Feng", "Deng", "Cao", "Peng", "Zeng", "Xiao", "Tian", "Dong", "Pan", "Yuan", "Cai", "Jiang",
    "Yu", "Du", "Ye", "Cheng", "Wei", "Su", "Ding", "Ren", "Lu", "Yao", "Shen", "Zhong", "Cui",
    "Tan", "Fan", "Jin", "Shi", "Liao", "Jia", "Xia", "Fu", "Fang", "Bai", "Zou", "Meng", "Xiong",
    "Qin", "Qiu", "Hou", "Yin", "Xue", "Yan", "Duan", "Lei", "Long", "Hao", "Kong", "Qian",
    -- Korean
    "Kim", "Lee", "Park", "Choi", "Jung", "Chung", "Kang", "Cho", "Yoon", "Jang", "Lim", "Oh",
    "Seo", "Shin", "Kwon", "Hwang", "Ahn", "Yoo", "Hong", "Jeon", "Ko", "Moon", "Son", "Bae",
    "Baek", "Heo", "Nam", "Roh", "Ban", "Ri", "Choe", "Pak",
    -- Vietnamese
    "Nguyen", "Tran", "Le", "Pham", "Hoang", "Vu", "Vo", "Dang", "Bui", "Do", "Ngo", "Duong",
  },
}
